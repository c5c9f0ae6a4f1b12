import fc from 'fast-check';
import { parseResourcePath } from './parse-resource-path';
import { parseCommonExpr } from './parser-extensions/bool-expr';
import { normalizeKeywords } from './parser-extensions/normalize-keywords';
import { toExpr } from './to-query-ir';

describe('parseResourcePath: GUID keys', () => {
  const viaParser = (text: string) =>
    toExpr(parseCommonExpr(normalizeKeywords(text)), {
      alias: () => {
        throw new Error('no alias');
      },
    });

  // The fast path for bare GUIDs must read them exactly as the expression parser does: any case,
  // first groups that look like suffixed numbers (13e4928d-…) included.
  it('a bare GUID key reads as the expression parser reads it', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.boolean(),
        fc.constantFrom('', '13e4928d', '1234567d', '0000000f'),
        (uuid, upper, first) => {
          let guid = first ? `${first}${uuid.slice(8)}` : uuid;
          if (upper) guid = guid.toUpperCase();
          const [segment] = parseResourcePath(`/Task(${guid})`);
          expect(segment.keys).toEqual([viaParser(guid)]);
          expect(parseResourcePath(`/Task(TaskItemId=${guid})`)[0].named).toEqual({
            TaskItemId: viaParser(guid),
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('what only looks like a GUID still goes to the parser (and fails as before)', () => {
    expect(() => parseResourcePath('/Task(c146b6ad-3827-4b93-9d94-d82f2070313)')).toThrow();
    expect(() => parseResourcePath("/Task('c146b6ad-3827-4b93-9d94-d82f20703136)")).toThrow();
  });
});
