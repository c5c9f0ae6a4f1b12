import { parseRequest } from './parse-request';

describe('parseRequest', () => {
  it('parses each part once and hands out the same result', () => {
    const parsed = parseRequest('/Task/', '$top=5&$filter=Name eq %27a%27&@p=1');
    expect(parsed.path).toBe('/Task');
    expect(parsed.segments()).toBe(parsed.segments());
    expect(parsed.options()).toBe(parsed.options());
    expect(parsed.query()).toBe(parsed.query());
    expect(parsed.query().top).toBe(5);
    expect(parsed.options().aliases.get('p')).toBe('1');
  });

  it('keeps a parse error and throws the same error wherever the part is read', () => {
    const parsed = parseRequest('/Task', '$top=many');
    let first: unknown;
    try {
      parsed.query();
    } catch (e) {
      first = e;
    }
    expect(first).toMatchObject({ status: 400 });
    expect(() => parsed.query()).toThrow(first as Error);
    // The path parses on its own: admission can still choose a lane.
    expect(parsed.segments()).toEqual([{ name: 'Task' }]);
  });

  it('checks the URL length before any parsing', () => {
    const limits = { maxUrlLength: 20, maxOptionLength: 100, maxNesting: 10, maxTerms: 100 };
    const parsed = parseRequest('/Task', `$filter=${'x'.repeat(50)}`, limits);
    expect(() => parsed.segments()).toThrow(/URL/);
    expect(() => parsed.query()).toThrow(/URL/);
  });
});
