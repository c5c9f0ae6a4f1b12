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

const parse = parserFactory(searchWithImplicitAnd);

function toSearch(t: any): SearchExpr {
  switch (t.type) {
    case 'SearchWord': return { kind: 'term', text: String(t.value), phrase: false };
    case 'SearchPhrase': return { kind: 'term', text: String(t.value), phrase: true };
    case 'SearchAndExpression': return { kind: 'and', left: toSearch(t.value.left), right: toSearch(t.value.right) };
    case 'SearchOrExpression': return { kind: 'or', left: toSearch(t.value.left), right: toSearch(t.value.right) };
    case 'SearchNotExpression': return { kind: 'not', operand: toSearch(t.value) };
    case 'SearchParenExpression':
    case 'SearchExpression':
      return toSearch(t.value);
    default:
      throw ODataError.badRequest(`Unsupported $search expression '${t.raw}'`, '$search', ErrorCode.BadQueryOption);
  }
}

export function parseSearch(text: string): SearchExpr {
  return toSearch(parse(text.trim()));
}
