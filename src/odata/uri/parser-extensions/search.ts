import Query from 'odata-v4-parser/lib/query';
import Lexer from 'odata-v4-parser/lib/lexer';
import { parserFactory } from 'odata-v4-parser/lib/parser';
import './fast-stringify';
import { ErrorCode, ODataError } from '../../errors/odata-error';
import type { SearchExpr } from '../../query/odata-query';

/**
 * $search on top of odata-v4-parser's searchExpr, adding what it lacks: the implicit AND of
 * OData's ABNF (`searchAndExpr = RWS [ "AND" RWS ] searchExpr`), so `$search=blue task`
 * means `blue AND task`.
 */
function searchWithImplicitAnd(src: Uint16Array, index: number): any {
  const first = Query.searchExpr(src, index);
  if (!first) return undefined;
  const rws = Lexer.RWS(src, first.next);
  if (rws === first.next || rws >= src.length) return first;
  const rest = searchWithImplicitAnd(src, rws);
  if (!rest) return first;
  return Lexer.tokenize(src, index, rest.next, { left: first, right: rest }, 'SearchAndExpression');
}

/**
 * OData 4.01's searchWord (`searchChar *( searchChar / SQUOTE )`, searchChar = unreserved and
 * a few marks; 4.0: any letter): `zq51fd0d09`, `v2.1`, `café` are words. The parser's own
 * rule takes ASCII letters only, and its searchTerm calls it through Query, so it is replaced
 * there. AND, OR and NOT are operators, never words.
 */
const SEARCH_CHAR = /^[\p{L}\p{N}\-._~!*+,:@/?$=%]$/u;
function searchWord(src: Uint16Array, index: number): any {
  let i = index;
  while (i < src.length && (SEARCH_CHAR.test(String.fromCharCode(src[i])) || (i > index && src[i] === 0x27)))
    i++;
  if (i === index) return undefined;
  const word = String.fromCharCode(...src.subarray(index, i));
  if (word === 'AND' || word === 'OR' || word === 'NOT') return undefined;
  const token = Lexer.tokenize(src, index, i, null, 'SearchWord');
  token.value = word;
  return token;
}
Query.searchWord = searchWord;

const parse = parserFactory(searchWithImplicitAnd);

function toSearch(t: any): SearchExpr {
  switch (t.type) {
    case 'SearchWord':
      return { kind: 'term', text: String(t.value), phrase: false };
    case 'SearchPhrase':
      return { kind: 'term', text: String(t.value), phrase: true };
    case 'SearchAndExpression':
      return { kind: 'and', left: toSearch(t.value.left), right: toSearch(t.value.right) };
    case 'SearchOrExpression':
      return { kind: 'or', left: toSearch(t.value.left), right: toSearch(t.value.right) };
    case 'SearchNotExpression':
      return { kind: 'not', operand: toSearch(t.value) };
    case 'SearchParenExpression':
    case 'SearchExpression':
      return toSearch(t.value);
    default:
      throw ODataError.badRequest(
        `Unsupported $search expression '${t.raw}'`,
        '$search',
        ErrorCode.BadQueryOption,
      );
  }
}

export function parseSearch(text: string): SearchExpr {
  return toSearch(parse(text.trim()));
}
