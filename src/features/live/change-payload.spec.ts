import { parseChangePayload } from './change-stream';

describe('parseChangePayload', () => {
  it("reads a statement's events: its transaction and first and last event id", () => {
    expect(parseChangePayload('812:1001:1999')).toEqual({ xid: '812', first: '1001', last: '1999' });
  });
  it('reads a bare event id (the row triggers of older instances) as that one event', () => {
    expect(parseChangePayload('4711')).toEqual({ xid: null, first: '4711', last: '4711' });
  });
  it('ignores anything else', () => {
    for (const p of ['', 'x', '1:2', '1:2:3:4', '1:2:x', ' 1', '-1'])
      expect(parseChangePayload(p)).toBeUndefined();
  });
});
