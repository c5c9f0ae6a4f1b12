import { ErrorCode, ODataError } from '../errors/odata-error';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Refuses JSON text whose arrays and objects nest deeper than `max`, in one linear pass and
 * before JSON.parse: parsing copes with any depth, but what follows (JSON.stringify, checks,
 * the database driver) recurses and would overflow the stack.
 */
export function checkJsonDepth(text: string, max: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) {
        throw ODataError.badRequest(
          `The JSON body nests arrays and objects more than ${max} deep`,
          undefined,
          ErrorCode.LimitExceeded,
        );
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
}

/**
 * The path (`Name`, `items[2].Tags[0]`) of the first string or member name holding a NUL
 * character, which PostgreSQL cannot store; undefined when there is none. Iterative, so any
 * depth is safe.
 */
export function nulPath(value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path || '(body)';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v).map(([k, item]): [unknown, string] => [
        item,
        path ? `${path}.${k}` : k,
      ]);
      const badName = entries.find(([, at]) => at.includes('\u0000'));
      // eslint-disable-next-line no-control-regex -- NUL is what this escapes
      if (badName) return badName[1].replace(/\u0000/g, '\\u0000');
      for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i]);
    }
  }
  return undefined;
}
