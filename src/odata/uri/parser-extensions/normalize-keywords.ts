/**
 * OData 4.01 makes operator and function names case-insensitive (`Name EQ 'x'`,
 * `Contains(Name,'a')`); odata-v4-parser matches them in lower case only. Lower-case the
 * keywords outside string literals before parsing; property names are left alone. String
 * literals are percent-encoded for the parser (see encodeLiteralBody).
 */
const OPERATORS = new Set([
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'has',
  'in',
  'and',
  'or',
  'not',
  'add',
  'sub',
  'mul',
  'div',
  'divby',
  'mod',
  'asc',
  'desc',
]);
const FUNCTIONS = new Map(
  [
    'contains',
    'startswith',
    'endswith',
    'length',
    'indexof',
    'substring',
    'tolower',
    'toupper',
    'trim',
    'concat',
    'matchesPattern',
    'year',
    'month',
    'day',
    'hour',
    'minute',
    'second',
    'fractionalseconds',
    'totalseconds',
    'date',
    'time',
    'totaloffsetminutes',
    'now',
    'maxdatetime',
    'mindatetime',
    'round',
    'floor',
    'ceiling',
    'cast',
    'isof',
    'any',
    'all',
  ].map((f) => [f.toLowerCase(), f]),
);
const LITERALS = new Set(['null', 'true', 'false']);

/**
 * odata-v4-parser accepts only URL-safe characters inside string literals (it expects the
 * URL's percent-encoded form). Values arrive decoded, so characters such as `^`, `#` or `%`
 * are encoded again here; to-query-ir.ts decodes literal text after parsing.
 */
function encodeLiteralBody(body: string): string {
  return body.replace(/[^A-Za-z0-9 \-._~']/g, (c) =>
    encodeURIComponent(c).replace(/[!*()]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`),
  );
}

export function normalizeKeywords(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      // copy the literal as is, '' included
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      out += `'${encodeLiteralBody(text.slice(i + 1, j))}'`;
      if (j >= text.length) out = out.slice(0, -1); // unterminated: leave it for the parser to reject
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c) && (i === 0 || !/[A-Za-z0-9_.$@-]/.test(text[i - 1]) || text[i - 1] === '/')) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j])) j++;
      const word = text.slice(i, j);
      const lower = word.toLowerCase();
      const next = text.slice(j).match(/^\s*(.)/)?.[1];
      const prev = i === 0 ? ' ' : text[i - 1];
      if (FUNCTIONS.has(lower) && next === '(' && text[j] !== '.') out += FUNCTIONS.get(lower);
      else if (OPERATORS.has(lower) && /\s|\(/.test(prev) && (j === text.length || /\s|\(/.test(text[j])))
        out += lower;
      else if (
        LITERALS.has(lower) &&
        !/[A-Za-z0-9_/]/.test(prev) &&
        (j === text.length || /[\s),]/.test(text[j]))
      )
        out += lower;
      else out += word;
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
