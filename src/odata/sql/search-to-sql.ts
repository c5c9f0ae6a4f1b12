import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType } from '../model/edm-model';
import type { SearchExpr } from '../query/odata-query';
import { SqlParams, escapeLike, ident } from './sql-params';

/**
 * $search -> SQL: each term must appear (case-insensitively) in one of the set's searchable
 * properties; AND, OR, NOT and phrases as the standard defines.
 * REVISIT: full-text search with a tsvector index (query issue).
 */
export function searchCondition(type: EdmEntityType, alias: string, search: SearchExpr, params: SqlParams): string {
  if (type.searchable.length === 0) {
    throw ODataError.badRequest(`$search is not supported on ${type.setName}`, '$search', ErrorCode.BadQueryOption);
  }
  const columns = type.searchable.map((name) => `${alias}.${ident(type.property.get(name)!.column)}`);
  const visit = (e: SearchExpr): string => {
    switch (e.kind) {
      case 'term': {
        const p = params.typed(`%${escapeLike(e.text)}%`, 'text');
        return `(${columns.map((c) => `${c} ILIKE ${p}`).join(' OR ')})`;
      }
      case 'and':
      case 'or':
        return `(${visit(e.left)} ${e.kind.toUpperCase()} ${visit(e.right)})`;
      case 'not':
        return `(NOT COALESCE(${visit(e.operand)}, FALSE))`;
    }
  };
  return visit(search);
}
