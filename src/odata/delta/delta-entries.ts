import { bindQuery } from '../bind/bind-query';
import type { EntityManager } from 'typeorm';
import type { EdmEntityType } from '../model/edm-model';
import type { ODataQuery } from '../query/odata-query';
import { buildSelect } from '../sql/build-select';
import { ident } from '../sql/sql-params';
import type { Negotiated } from '../http/negotiation';
import type { ODataRequest } from '../http/odata-request';
import type { ChangeCandidate } from './change-log';
import type { DeltaHost } from './delta-tracking';

type Row = { j: string } & Record<string, string>;

/**
 * The delta entries of a page of candidates (JSON Format 15): each candidate the link's query
 * finds now, in the caller's scope, is an added or changed entity; one that exists but is not
 * found has left the filter or the caller's scope (`"reason":"changed"`); one that does not exist
 * was deleted (`@removed` in 4.01, a `$deletedEntity` in 4.0). A fresh candidate (created since the link) that is not found is left out: the
 * client never had it.
 */
export async function deltaEntries(
  m: EntityManager,
  req: ODataRequest,
  type: EdmEntityType,
  query: ODataQuery,
  n: Negotiated,
  host: DeltaHost,
  page: ChangeCandidate[],
): Promise<string[]> {
  if (page.length === 0) return [];
  const key = type.keys[0];
  const keys = page.map((c) => c.key);
  const bound = bindQuery({
    model: host.model,
    type,
    query: { ...query, skiptoken: undefined, count: false },
    limits: { ...host.limits, maxTop: Number.MAX_SAFE_INTEGER },
  });
  const plan = buildSelect(m.connection, {
    model: host.model,
    type,
    query: bound,
    metadata: n.metadata,
    scopes: [(alias, params) => `${alias}.${ident(key.column)} = ANY(${params.typed(keys, 'uuid[]')})`],
    pageSize: keys.length,
    scope: host.scope,
    callerProperties: host.callerProperties,
  });
  const rows: Row[] = await m.query(plan.sql, plan.parameters);
  const found = new Map(rows.map((r) => [r[`k${plan.sortKeys - 1}`], r.j]));
  const missing = keys.filter((k) => !found.has(k));
  const existing = new Set<string>();
  if (missing.length) {
    const col = ident(key.column);
    const present: Array<{ k: string }> = await m.query(
      `SELECT ${col}::text AS k FROM ${ident(type.table)} WHERE ${col} = ANY($1::uuid[])`,
      [missing],
    );
    present.forEach((r) => existing.add(r.k));
  }
  const id = (k: string) => `${req.serviceRoot}/${type.setName}(${k})`;
  const removedEntry = (k: string, reason: 'changed' | 'deleted') =>
    JSON.stringify(
      n.version === '4.01'
        ? { '@removed': { reason }, '@id': id(k) }
        : // OData 4.0 has no @removed: a deleted entity (JSON Format 4.0, 15.5) names its context
          {
            '@odata.context': `${req.serviceRoot}/$metadata#${type.setName}/$deletedEntity`,
            id: id(k),
            reason,
          },
    );
  const entries: string[] = [];
  for (const c of page) {
    const json = found.get(c.key);
    // An added or changed entity: its key is always among its properties (build-select.ts).
    if (json !== undefined) entries.push(json);
    else if (!c.fresh) {
      entries.push(removedEntry(c.key, existing.has(c.key) ? 'changed' : 'deleted'));
    }
  }
  return entries;
}
