import Expressions from 'odata-v4-parser/lib/expressions';
import Lexer from 'odata-v4-parser/lib/lexer';
import { parserFactory } from 'odata-v4-parser/lib/parser';
import './fast-stringify';

/**
 * The boolean level of $filter, on top of odata-v4-parser's operand grammar.
 *
 * odata-v4-parser parses operands (literals, members, lambdas, method calls, arithmetic)
 * well but its boolean level lacks OData 4.01's `in` operator and `matchesPattern`, and it
 * nests `a and b or c` on the right. This layer re-implements only that level:
 *
 *   boolExpr   = andExpr *( RWS "or" RWS andExpr )        left-associative
 *   andExpr    = unaryExpr *( RWS "and" RWS unaryExpr )
 *   unaryExpr  = "not" RWS unaryExpr / primary
 *   primary    = operand [ RWS compareOp RWS operand / RWS "in" BWS list ]
 *              / "(" BWS boolExpr BWS ")"
 *              / matchesPattern( operand , operand ) / isof(...) / contains(...) ...
 *   list       = "(" BWS operand *( BWS "," BWS operand ) BWS ")"
 *
 * Operands and everything below them stay the parser's (Expressions.commonExpr). The tokens
 * produced here have the parser's shape ({ type, value, position, next, raw }), so
 * to-query-ir.ts reads one token tree.
 */

type Source = Uint16Array;
export interface Token {
  type: string;
  value: any;
  position: number;
  next: number;
  raw: string;
}

function token(src: Source, start: number, next: number, value: unknown, type: string): Token {
  return Lexer.tokenize(src, start, next, value, type) as Token;
}

/** Case-sensitive keyword match followed by required whitespace on both sides. */
function keyword(src: Source, index: number, word: string): number {
  const rws = Lexer.RWS(src, index);
  if (rws === index) return 0;
  for (let i = 0; i < word.length; i++) if (src[rws + i] !== word.charCodeAt(i)) return 0;
  return rws + word.length;
}

const COMPARISONS: Array<[string, string]> = [
  ['eq', 'EqualsExpression'],
  ['ne', 'NotEqualsExpression'],
  ['lt', 'LesserThanExpression'],
  ['le', 'LesserOrEqualsExpression'],
  ['gt', 'GreaterThanExpression'],
  ['ge', 'GreaterOrEqualsExpression'],
  ['has', 'HasExpression'],
];

function operand(src: Source, index: number): Token | undefined {
  return castExpr(src, index) ?? lambdaExpr(src, index) ?? Expressions.commonExpr(src, index);
}

const LAMBDA_HEAD = /^(?:\$it|[A-Za-z_][A-Za-z0-9_]*)(?:\/[A-Za-z_][A-Za-z0-9_.]*)*\/(any|all)\(/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*/;
const text = (src: Source, from: number, to: number) =>
  String.fromCharCode(...src.subarray(from, Math.min(to, src.length)));

/**
 * path/any(v: boolExpr) and path/all(v: boolExpr), parsed here so that the predicate is this
 * layer's boolExpr (with `in`, matchesPattern, cast): the parser's own lambda rule parses
 * `Tags/any(x: x in ('a','b'))` with its boolean level, which lacks them. Members of the
 * predicate that start with the variable are bound to it in to-query-ir.ts.
 */
function lambdaExpr(src: Source, index: number): Token | undefined {
  const head = LAMBDA_HEAD.exec(text(src, index, index + 1024));
  if (!head) return undefined;
  const op = head[1];
  const path = head[0].slice(0, -(op.length + 2)).split('/');
  const i = Lexer.BWS(src, index + head[0].length);
  const empty = Lexer.CLOSE(src, i);
  if (empty) return op === 'any' ? token(src, index, empty, { op, path }, 'LambdaPathExpression') : undefined;
  const variable = IDENTIFIER.exec(text(src, i, i + 128))?.[0];
  if (!variable) return undefined;
  const colon = Lexer.COLON(src, Lexer.BWS(src, i + variable.length));
  if (!colon) return undefined;
  const predicate = boolExpr(src, Lexer.BWS(src, colon));
  if (!predicate) return undefined;
  const close = Lexer.CLOSE(src, Lexer.BWS(src, predicate.next));
  if (!close) return undefined;
  return token(src, index, close, { op, path, variable, predicate }, 'LambdaPathExpression');
}

/** cast(expr, Edm.Type): the parser's own rule never matches, so it is parsed here. */
function castExpr(src: Source, index: number): Token | undefined {
  const word = 'cast';
  for (let i = 0; i < word.length; i++) if (src[index + i] !== word.charCodeAt(i)) return undefined;
  let i = Lexer.OPEN(src, index + word.length);
  if (!i) return undefined;
  i = Lexer.BWS(src, i);
  const target = Expressions.commonExpr(src, i);
  if (!target) return undefined;
  i = Lexer.BWS(src, target.next);
  const comma = Lexer.COMMA(src, i);
  if (!comma) return undefined;
  i = Lexer.BWS(src, comma);
  const start = i;
  while (i < src.length && /[A-Za-z0-9_.]/.test(String.fromCharCode(src[i]))) i++;
  if (i === start) return undefined;
  const typeName = String.fromCharCode(...src.slice(start, i));
  i = Lexer.BWS(src, i);
  const close = Lexer.CLOSE(src, i);
  if (!close) return undefined;
  return token(src, index, close, { target, typename: typeName }, 'CastExpression');
}

function list(src: Source, index: number): Token | undefined {
  const open = Lexer.OPEN(src, index);
  if (!open) return undefined;
  let i = Lexer.BWS(src, open);
  const items: Token[] = [];
  for (;;) {
    const item = operand(src, i);
    if (!item) return undefined;
    items.push(item);
    i = Lexer.BWS(src, item.next);
    const comma = Lexer.COMMA(src, i);
    if (!comma) break;
    i = Lexer.BWS(src, comma);
  }
  const close = Lexer.CLOSE(src, i);
  if (!close) return undefined;
  return token(src, index, close, items, 'Collection');
}

function matchesPattern(src: Source, index: number): Token | undefined {
  const word = 'matchesPattern';
  for (let i = 0; i < word.length; i++) if (src[index + i] !== word.charCodeAt(i)) return undefined;
  let i = Lexer.OPEN(src, index + word.length);
  if (!i) return undefined;
  i = Lexer.BWS(src, i);
  const a = operand(src, i);
  if (!a) return undefined;
  i = Lexer.BWS(src, a.next);
  const comma = Lexer.COMMA(src, i);
  if (!comma) return undefined;
  const b = operand(src, Lexer.BWS(src, comma));
  if (!b) return undefined;
  const close = Lexer.CLOSE(src, Lexer.BWS(src, b.next));
  if (!close) return undefined;
  return token(src, index, close, { method: 'matchesPattern', parameters: [a, b] }, 'MethodCallExpression');
}

/** A boolean-valued call (contains(...), isof(...), matchesPattern(...)). */
function booleanCall(src: Source, index: number): Token | undefined {
  return (
    matchesPattern(src, index) ??
    Expressions.isofExpr(src, index) ??
    Expressions.boolMethodCallExpr(src, index)
  );
}

/** A parenthesised boolean expression the operand grammar could not take (it contains `eq`, `in`, ...). */
function boolParen(src: Source, index: number): Token | undefined {
  const open = Lexer.OPEN(src, index);
  if (!open) return undefined;
  const inner = boolExpr(src, Lexer.BWS(src, open));
  if (!inner) return undefined;
  const close = Lexer.CLOSE(src, Lexer.BWS(src, inner.next));
  if (!close) return undefined;
  return token(src, index, close, inner, 'BoolParenExpression');
}

/**
 * One side of a comparison: an operand, or a boolean term, since booleans compare with booleans
 * (`contains(Name,'a') eq true`, `(IsDone eq false) eq true`). An operand that starts with `(`
 * ends at its closing parenthesis or later, so the boolean reading is tried only when it fails:
 * each position is read once.
 */
function comparand(src: Source, index: number): Token | undefined {
  return booleanCall(src, index) ?? operand(src, index) ?? boolParen(src, index);
}

function primary(src: Source, index: number): Token | undefined {
  const left = comparand(src, index);
  if (!left) return undefined;
  for (const [word, type] of COMPARISONS) {
    const after = keyword(src, left.next, word);
    if (!after) continue;
    const rws = Lexer.RWS(src, after);
    if (rws === after && src[rws] !== 0x28 /* ( */) continue;
    const right = comparand(src, rws);
    if (!right) return undefined;
    return token(src, index, right.next, { left, right }, type);
  }
  const afterIn = keyword(src, left.next, 'in');
  if (afterIn) {
    const items = list(src, Lexer.BWS(src, afterIn));
    if (!items) return undefined;
    return token(src, index, items.next, { left, right: items }, 'InExpression');
  }
  return left;
}

function unaryExpr(src: Source, index: number): Token | undefined {
  const not = 'not';
  let matched = true;
  for (let i = 0; i < not.length; i++) if (src[index + i] !== not.charCodeAt(i)) matched = false;
  if (matched) {
    const rws = Lexer.RWS(src, index + not.length);
    if (rws > index + not.length || src[rws] === 0x28 /* ( */) {
      const operandToken = unaryExpr(src, rws);
      if (operandToken) return token(src, index, operandToken.next, operandToken, 'NotExpression');
    }
  }
  return primary(src, index);
}

function chain(
  src: Source,
  index: number,
  word: string,
  type: string,
  next: (s: Source, i: number) => Token | undefined,
) {
  let left = next(src, index);
  if (!left) return undefined;
  for (;;) {
    const after = keyword(src, left.next, word);
    if (!after) return left;
    const rws = Lexer.RWS(src, after);
    if (rws === after && src[rws] !== 0x28) return left;
    const right = next(src, rws);
    if (!right) return left;
    left = token(src, index, right.next, { left, right }, type);
  }
}

function andExpr(src: Source, index: number): Token | undefined {
  return chain(src, index, 'and', 'AndExpression', unaryExpr);
}

export function boolExpr(src: Source, index: number): Token | undefined {
  return chain(src, index, 'or', 'OrExpression', andExpr);
}

/** Parses a whole $filter (or lambda predicate) text into a token tree. Throws on bad syntax. */
export const parseBoolExpr: (text: string) => Token = parserFactory(boolExpr);
/** Parses a single operand (for $orderby items, $compute and function arguments). */
export const parseCommonExpr: (text: string) => Token = parserFactory(operand);
