import { ErrorCode, ODataError } from '../errors/odata-error';

/**
 * Limits on what a request may ask the parsers to do, checked before any text reaches
 * odata-v4-parser. Its recursive descent backtracks and copies text per token, so its time
 * grows with the square of the nesting and of the length; these cheap linear scans refuse
 * hostile input first (the node count of a parsed $filter is checked again by the SQL layer).
 */
export interface InputLimits {
  /** Path plus query string, as sent (414). */
  maxUrlLength: number;
  /** One decoded query option value or path segment (414). */
  maxOptionLength: number;
  /** Parentheses nested in one option or segment, outside string literals (400). */
  maxNesting: number;
  /** Words, literals and operators in one option or segment (400). */
  maxTerms: number;
}

export function tooLong(what: string, length: number, max: number, target?: string): ODataError {
  return new ODataError(
    414,
    ErrorCode.LimitExceeded,
    `${what} is ${length} characters long; at most ${max} are accepted`,
    target,
  );
}

/** Path and query string of one request or $batch part. */
export function checkUrlLength(path: string, search: string, limits: InputLimits | undefined): void {
  const length = path.length + (search ? search.length + 1 : 0);
  if (limits && length > limits.maxUrlLength) throw tooLong('The URL', length, limits.maxUrlLength);
}

/** A decoded option value or path segment: no NUL (PostgreSQL cannot store it), not too long. */
export function checkText(target: string, text: string, limits: InputLimits | undefined): void {
  if (text.includes('\u0000'))
    throw ODataError.badRequest(`${target} contains a NUL character`, target, ErrorCode.BadLiteral);
  if (limits && text.length > limits.maxOptionLength)
    throw tooLong(target, text.length, limits.maxOptionLength, target);
}

const OPEN = 0x28;
const CLOSE = 0x29;
/** Characters that end a term: whitespace and the punctuation between operands. */
const SEPARATORS = new Set([
  0x20,
  0x09,
  0x0a,
  0x0d,
  OPEN,
  CLOSE,
  0x2c /* , */,
  0x2f /* / */,
  0x3b /* ; */,
  0x3d /* = */,
]);
const MINUS = 0x2d;

/**
 * One pass over an expression: the deepest parenthesis nesting outside string literals, and
 * the number of terms (words, literals, operators; every leading `-` counts, as each one is a
 * level of the parser's recursion). `quote` is `'` for OData literals, `"` for $search phrases.
 */
export function measureExpression(text: string, quote: "'" | '"' = "'"): { depth: number; terms: number } {
  const q = quote.charCodeAt(0);
  let depth = 0;
  let deepest = 0;
  let terms = 0;
  let quoted = false;
  let inTerm = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === q) quoted = false; // '' inside a literal closes and reopens it: still right
      continue;
    }
    if (c === q) {
      quoted = true;
      if (!inTerm) terms++;
      inTerm = true;
    } else if (c === OPEN) {
      if (++depth > deepest) deepest = depth;
      inTerm = false;
    } else if (c === CLOSE) {
      if (depth > 0) depth--;
      inTerm = false;
    } else if (SEPARATORS.has(c)) inTerm = false;
    else if (c === MINUS && !inTerm) terms++;
    else if (!inTerm) {
      terms++;
      inTerm = true;
    }
  }
  return { depth: deepest, terms };
}

/** Refuses an expression (a query option, a key or parameter list) nested or long beyond the limits. */
export function checkExpression(
  target: string,
  text: string,
  limits: InputLimits | undefined,
  quote: "'" | '"' = "'",
): void {
  if (!limits) return;
  const { depth, terms } = measureExpression(text, quote);
  if (depth > limits.maxNesting) {
    throw ODataError.badRequest(
      `${target} nests parentheses ${depth} deep; at most ${limits.maxNesting} are accepted`,
      target,
      ErrorCode.LimitExceeded,
    );
  }
  if (terms > limits.maxTerms) {
    throw ODataError.badRequest(
      `${target} has ${terms} terms; at most ${limits.maxTerms} are accepted`,
      target,
      ErrorCode.LimitExceeded,
    );
  }
}
