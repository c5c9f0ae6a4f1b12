import { compareLsn } from '../../database/lsn';
import { consistencyTokenOf, mayHaveWritten } from './consistency';

describe('consistency tokens', () => {
  it('are WAL positions; anything else is ignored', () => {
    expect(consistencyTokenOf({ 'x-consistency-token': '16/B374D848' })).toBe('16/B374D848');
    expect(consistencyTokenOf({ 'x-consistency-token': ' 0/1 ' })).toBe('0/1');
    expect(consistencyTokenOf({ 'x-consistency-token': ['0/1', '0/2'] })).toBe('0/2');
    for (const bad of ['', '16', '16/', 'G/1', '1/2/3', "0/1'; --", '123456789/1'])
      expect(consistencyTokenOf({ 'x-consistency-token': bad })).toBeUndefined();
    expect(consistencyTokenOf({})).toBeUndefined();
  });

  it('compare as 64-bit positions, not as text', () => {
    expect(compareLsn('0/9', '0/10')).toBeLessThan(0);
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBeGreaterThan(0);
    expect(compareLsn('A/B374D848', 'a/b374d848')).toBe(0);
  });

  it('are sent after successful requests other than GET and HEAD', () => {
    expect(mayHaveWritten('POST', 201)).toBe(true);
    expect(mayHaveWritten('DELETE', 204)).toBe(true);
    expect(mayHaveWritten('PATCH', 412)).toBe(false);
    expect(mayHaveWritten('GET', 200)).toBe(false);
    expect(mayHaveWritten('HEAD', 200)).toBe(false);
  });
});
