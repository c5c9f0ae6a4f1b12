import type { EdmEntityType, EdmModel } from '../model/edm-model';
import type { SearchExpr } from '../query/odata-query';
import { AliasGenerator } from './filter-to-sql';
import { SqlParams, escapeLike, ident } from './sql-params';
import type { ReadScope } from '../access/access-policy';

/**
 * $search -> SQL. Sets declared with full text use PostgreSQL's text search on their
 * (GIN-indexed) tsvector column; AND, OR, NOT and phrases map onto tsquery operators:
 *   $search=blue OR "red car" -> vector @@ (plainto_tsquery('simple', :p0) || phraseto_tsquery('simple', :p1))
 * A row also matches when a related row does (a task whose note matches), for queries
 * without NOT.
 * Other sets match each term as a case-insensitive substring of their searchable properties.
 */
export function searchCondition(
  type: EdmEntityType,
  alias: string,
  search: SearchExpr,
  params: SqlParams,
  model?: EdmModel,
  aliases?: AliasGenerator,
  scope?: ReadScope,
): string {
  if (type.fullText)
    return fullTextCondition(type, alias, search, params, model, aliases ?? new AliasGenerator(), scope);
  // bind/ checked that the set is searchable.
  const columns = type.searchable.map((name) => `${alias}.${ident(type.property.get(name)!.column)}`);
  const visit = (e: SearchExpr): string => {
    switch (e.kind) {
      case 'term': {
        const p = params.typed(`%${escapeLike(e.text)}%`, 'text', params.holes?.at(e, 'text', likeAny));
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

function fullTextCondition(
  type: EdmEntityType,
  alias: string,
  search: SearchExpr,
  params: SqlParams,
  model: EdmModel | undefined,
  aliases: AliasGenerator,
  scope?: ReadScope,
): string {
  const config = `CAST(${params.typed(type.fullText!.config, 'text')} AS regconfig)`;
  const query = (e: SearchExpr): string => {
    switch (e.kind) {
      case 'term':
        return `${e.phrase ? 'phraseto_tsquery' : 'plainto_tsquery'}(${config}, ${params.typed(e.text, 'text', params.holes?.at(e, 'text'))})`;
      case 'and':
        return `(${query(e.left)} && ${query(e.right)})`;
      case 'or':
        return `(${query(e.left)} || ${query(e.right)})`;
      case 'not':
        return `(!! ${query(e.operand)})`;
    }
  };
  const q = query(search);
  const own = `${alias}.${ident(type.fullText!.vector)} @@ ${q}`;
  // Related rows count for positive queries only: "NOT x" means the row's own text lacks x,
  // not "some note lacks x".
  const negated = (e: SearchExpr): boolean =>
    e.kind === 'not' || (e.kind !== 'term' && (negated(e.left) || negated(e.right)));
  const related: string[] = [];
  for (const navName of negated(search) ? [] : (type.fullText!.via ?? [])) {
    const nav = type.navigation.get(navName);
    const target = nav && model?.types.get(nav.target);
    if (!nav || !target?.fullText || nav.join.kind !== 'foreignKey' || nav.join.pairs.length !== 1) continue;
    const r = aliases.next('s');
    const visible = scope?.(target, r, params, aliases);
    related.push(
      `SELECT ${r}.${ident(nav.join.pairs[0].target)} FROM ${ident(target.table)} ${r} WHERE ${r}.${ident(target.fullText.vector)} @@ ${q}${visible ? ` AND ${visible}` : ''}`,
    );
  }
  if (related.length === 0) return `(${own})`;
  // Matching keys from each GIN index, united: the planner looks them up instead of testing
  // every row against the notes.
  const key = type.keys[0].column;
  const t = aliases.next('s');
  return `(${alias}.${ident(key)} IN (SELECT ${t}.${ident(key)} FROM ${ident(type.table)} ${t} WHERE ${t}.${ident(type.fullText!.vector)} @@ ${q} UNION ${related.join(' UNION ')}))`;
}

const likeAny = (v: unknown) => `%${escapeLike(String(v))}%`;
