import { ODataError } from '../errors/odata-error';
import { InputLimits, checkExpression, checkText, checkUrlLength, measureExpression } from './input-limits';
import { checkJsonDepth, nulPath } from '../write/json-limits';
import { parseBoolExpr } from './parser-extensions/bool-expr';

const limits: InputLimits = { maxUrlLength: 100, maxOptionLength: 50, maxNesting: 3, maxTerms: 10 };
const error = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return e as ODataError;
  }
  throw new Error('no error');
};

describe('limits checked before parsing', () => {
  it('measures nesting outside string literals and counts terms', () => {
    expect(measureExpression("(Name eq 'x') and (trim(Name) eq ')(((')")).toEqual({ depth: 2, terms: 8 });
    expect(measureExpression("Name eq 'it''s (('")).toEqual({ depth: 0, terms: 3 });
    expect(measureExpression('Project/Name eq 2025-01-01T10:00:00Z')).toEqual({ depth: 0, terms: 4 });
    expect(measureExpression('---1')).toEqual({ depth: 0, terms: 4 });
    expect(measureExpression('"a (b" OR (c)', '"')).toEqual({ depth: 1, terms: 3 });
    // Unbalanced closing parentheses never lower the count below zero (nor hide later opening ones).
    expect(measureExpression('))))((((x))))').depth).toBe(4);
  });

  it('refuses deep nesting and many terms with 400 LimitExceeded naming the option', () => {
    expect(error(() => checkExpression('$filter', '((((x))))', limits))).toMatchObject({
      status: 400,
      code: 'ODATA107',
      target: '$filter',
    });
    expect(error(() => checkExpression('$orderby', 'a,b,c,d,e,f,g,h,i,j,k', limits))).toMatchObject({
      status: 400,
      target: '$orderby',
    });
    expect(() => checkExpression('$filter', '(((x)))', limits)).not.toThrow();
    expect(() => checkExpression('$filter', '((((((x))))))', undefined)).not.toThrow();
  });

  it('length (414) and NUL (400) of options and URLs', () => {
    expect(error(() => checkText('$filter', 'x'.repeat(51), limits))).toMatchObject({
      status: 414,
      code: 'ODATA107',
    });
    expect(error(() => checkText('$search', 'a\u0000b', limits))).toMatchObject({
      status: 400,
      target: '$search',
    });
    expect(error(() => checkUrlLength('/Task', 'x'.repeat(95), limits))).toMatchObject({ status: 414 });
    expect(() => checkUrlLength('/Task', 'x'.repeat(94), limits)).not.toThrow();
  });

  it('JSON depth without recursion, brackets inside strings ignored', () => {
    expect(() => checkJsonDepth('{"a":[[1]],"b":"[[[[[[\\"[[["}', 3)).not.toThrow();
    expect(error(() => checkJsonDepth('{"a":[[[1]]]}', 3))).toMatchObject({ status: 400, code: 'ODATA107' });
    expect(error(() => checkJsonDepth('['.repeat(1_000_000), 64))).toMatchObject({ status: 400 });
  });

  it('finds the path of a NUL character at any depth', () => {
    expect(nulPath({ Name: 'ok', items: [{ A: 'x' }, { B: ['y', 'z\u0000'] }] })).toBe('items[1].B[1]');
    expect(nulPath({ ['a\u0000']: 1 })).toBe('a\\u0000');
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nulPath({ deep })).toMatch(/^deep(\[0\]){100000}$/);
    expect(nulPath({ a: 'clean', b: [1, null, true] })).toBeUndefined();
  });

  it("odata-v4-parser's token text is still exact with the fast copy (surrogates, long tokens)", () => {
    const long = 'x'.repeat(20_000);
    const t = parseBoolExpr(`Name eq '😀 ${long}'`);
    expect(t.raw).toBe(`Name eq '😀 ${long}'`);
    expect(t.value.right.raw).toBe(`'😀 ${long}'`);
  });
});
