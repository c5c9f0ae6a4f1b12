import type { AppConfig } from '../../config/app-config';
import { nestsDeeperThan, stripTags } from './html-text';
import { HtmlText } from './html-text.service';

const limits = { maxLength: 1000, maxDepth: 5 };

describe('HTML -> text within limits', () => {
  it('measures depth as the parser sees it: implied and void closes included', async () => {
    expect(await nestsDeeperThan('<div><div><div><div><div>x</div></div></div></div></div>', 5)).toBe(false);
    expect(await nestsDeeperThan('<div>'.repeat(6), 5)).toBe(true);
    expect(await nestsDeeperThan('<p>a<p>b<p>c<p>d<p>e<p>f<p>g', 2)).toBe(false); // each <p> closes the last
    expect(await nestsDeeperThan('<br><br><img><hr>'.repeat(100), 1)).toBe(false);
    expect(await nestsDeeperThan('<div></span>'.repeat(10), 5)).toBe(true); // stray closes do not pop
  });

  it('measures a million nested elements in linear time, stopping at the limit', async () => {
    const started = performance.now();
    expect(await nestsDeeperThan('<div>'.repeat(1_000_000), 100)).toBe(true);
    expect(await nestsDeeperThan(`${'<div>'.repeat(99)}${'</span>'.repeat(200_000)}`, 100)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('converts within the limits; strips tags beyond the depth; cuts beyond the length', async () => {
    const service = new HtmlText({ html: limits } as AppConfig);
    try {
      const text = (html: string) => service.toText(html);
      await expect(text('<p>Hello <b>world</b> <a href="https://x.test">link</a></p>')).resolves.toBe(
        'Hello world link',
      );
      await expect(text(`${'<div>'.repeat(10)}deep &amp; <i>text</i>`)).resolves.toBe('deep & text');
      await expect(text(`<p>${'x'.repeat(2000)}</p>`)).resolves.toHaveLength(997);
      expect(stripTags('a<b>b</b>c<unclosed')).toBe('a b c');
    } finally {
      await service.onModuleDestroy();
    }
  });

  it('the service converts in a worker thread and refuses client HTML beyond the limits', async () => {
    const service = new HtmlText({ html: limits } as AppConfig);
    try {
      await expect(service.checkedText('<ul><li>one</li><li>two</li></ul>', 'htmlText')).resolves.toBe(
        '* one\n * two',
      );
      await expect(service.toText('<div>'.repeat(10) + 'x')).resolves.toBe('x');
      await expect(service.checkedText('<div>'.repeat(6), 'htmlText')).rejects.toEqual(
        expect.objectContaining({ status: 400, target: 'htmlText' }),
      );
      await expect(service.checkedText('x'.repeat(1001), 'htmlText')).rejects.toThrow(/at most 1000/);
      const many = await Promise.all(['<b>1</b>', '<i>2</i>', '3'].map((h) => service.toText(h)));
      expect(many).toEqual(['1', '2', '3']);
    } finally {
      await service.onModuleDestroy();
    }
  });
});
