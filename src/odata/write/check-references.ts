import type { EntityManager } from 'typeorm';
import type { AccessPolicy, Caller, ReadScope, ReferenceScope } from '../access/access-policy';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType, EdmModel, EdmNavigation, EdmProperty } from '../model/edm-model';
import { AliasGenerator } from '../sql/filter-to-sql';
import { PG_TYPE } from '../sql/pg-types';
import { SqlParams, ident } from '../sql/sql-params';
import { runStatement, statementOf } from '../plan/execute';

type Row = Record<string, unknown>;

/** A write of one row: its values before (updates) and the values it sets (by column). */
export interface ReferenceChange {
  before?: Row;
  after: Row;
}

/** How the caller sees references: its read scope and the policy's consistency rule. */
export interface ReferenceContext {
  manager: EntityManager;
  model: EdmModel;
  /** Run the probe as a named prepared statement (DB_PREPARED_STATEMENTS). */
  prepared?: boolean;
  scope?: ReadScope;
  related?: ReferenceScope;
}

export function referenceContext(
  manager: EntityManager,
  model: EdmModel,
  policy?: AccessPolicy,
  caller?: Caller,
  prepared = false,
): ReferenceContext {
  if (!policy || !caller) return { manager, model, prepared };
  const related = policy.referenceScope?.(caller);
  return { manager, model, prepared, scope: policy.readScope(caller), related };
}

/**
 * A key that does not exist and a key the caller cannot see answer exactly alike (status,
 * code, message, target), so an error never confirms that someone else's row exists.
 */
export function unknownReference(name: string): ODataError {
  return ODataError.badRequest(`${name} does not point at an existing entity`, name, ErrorCode.BadForeignKey);
}

/** One key to look up in a navigation's target, on behalf of one source row. */
interface Probe {
  /** Error target (the property or parameter the client named). */
  name: string;
  /** Values of the target's columns (the navigation's join), in join order. */
  key: unknown[];
  /** The source row, merged (before + after). */
  row: Row;
  /** The client sets this reference: the caller must see its target. Otherwise only consistency is checked. */
  full: boolean;
  /** Prefix of the message (the item of a batch). */
  prefix: string;
}

/** Single-valued navigations whose foreign key lives on the type's own table and is set by clients. */
function foreignKeys(type: EdmEntityType): Array<{ nav: EdmNavigation; props: EdmProperty[] }> {
  const out: Array<{ nav: EdmNavigation; props: EdmProperty[] }> = [];
  for (const nav of type.navigation.values()) {
    if (nav.collection || nav.join.kind !== 'foreignKey' || nav.constraints.length === 0) continue;
    const props = nav.join.pairs.map((p) => type.properties.find((x) => x.column === p.source));
    if (props.some((p) => !p || p.computed)) continue; // the service sets those itself
    out.push({ nav, props: props as EdmProperty[] });
  }
  return out;
}

const settable = (v: unknown) => typeof v === 'string' || typeof v === 'number';

/**
 * Checks every foreign key a write sets, from the model's referential constraints: its target
 * must exist in the caller's read scope, and be consistent with the row (the policy's
 * ReferenceScope, e.g. a task's column in the task's own project). When a write changes any
 * foreign key (a task moving to another project), the row's other references are checked for
 * consistency too. One statement per navigation, however many rows (BatchInsert).
 */
export async function checkReferences(
  ctx: ReferenceContext,
  type: EdmEntityType,
  changes: ReferenceChange[],
  names: Record<string, string> = {},
): Promise<void> {
  const fks = foreignKeys(type);
  const fkColumns = new Set(fks.flatMap((f) => f.props.map((p) => p.column)));
  const sets: ProbeSet[] = [];
  for (const { nav, props } of fks) {
    const probes: Probe[] = [];
    changes.forEach((change, i) => {
      const row = { ...(change.before ?? {}), ...change.after };
      const key = props.map((p) => row[p.column]);
      if (!key.every(settable)) return;
      // A value sent again unchanged (a client saving the whole entity) is not a new reference.
      const changed = (column: string) =>
        column in change.after && change.after[column] !== change.before?.[column];
      const full = props.some((p) => changed(p.column));
      if (!full && ![...fkColumns].some(changed)) return;
      const prefix = changes.length > 1 ? `Item ${i}: ` : '';
      probes.push({ name: names[props[0].column] ?? props[0].name, key, row, full, prefix });
    });
    const targetColumns = nav.join.kind === 'foreignKey' ? nav.join.pairs.map((p) => p.target) : [];
    sets.push({ source: type, nav, targetColumns, probes });
  }
  await probe(ctx, sets);
}

/** Checks the keys a write links through a many-to-many navigation (e.g. a task's Documents). */
export async function checkLinks(
  ctx: ReferenceContext,
  type: EdmEntityType,
  navigation: string,
  row: Row,
  keys: unknown[],
  name: string,
): Promise<void> {
  const nav = type.navigation.get(navigation);
  if (!nav || nav.join.kind !== 'junction') throw new Error(`${type.name}.${navigation} is not many-to-many`);
  const probes = [...new Set(keys)].map((k) => ({ name, key: [k], row, full: true, prefix: '' }));
  await probe(ctx, [{ source: type, nav, targetColumns: nav.join.targetPairs.map((p) => p.target), probes }]);
}

/** The keys to look up in one navigation's target. */
interface ProbeSet {
  source: EdmEntityType;
  nav: EdmNavigation;
  targetColumns: string[];
  probes: Probe[];
}

/**
 * Looks up every navigation's keys in ONE statement (a POST of a task: one round trip, not one
 * per foreign key); the first failure, in navigation order then item order, is the answer.
 */
async function probe(ctx: ReferenceContext, all: ProbeSet[]): Promise<void> {
  const sets = all.filter((s) => s.probes.length);
  if (!sets.length) return;
  const params = new SqlParams();
  const parts = sets.map((set, n) => `(${probeSql(ctx, set, params, n)})`);
  const sql = `SELECT * FROM (${parts.join(' UNION ALL ')}) u ORDER BY u.n, u.i LIMIT 1`;
  const [query, values] = ctx.manager.connection.driver.escapeQueryWithParameters(sql, params.values, {});
  const [bad] = await runStatement<{ n: number; i: number; visible: boolean }>(
    ctx.manager,
    statementOf(query, values),
    ctx.prepared ?? false,
  );
  if (!bad) return;
  const { source, nav, probes } = sets[bad.n];
  const p = probes[bad.i];
  if (p.full && !bad.visible) {
    const e = unknownReference(p.name);
    if (p.prefix) e.message = p.prefix + e.message;
    throw e;
  }
  throw ODataError.badRequest(
    `${p.prefix}${p.name} points at a ${ctx.model.types.get(nav.target)!.name} that does not belong with this ${source.name}`,
    p.name,
    ErrorCode.BadForeignKey,
  );
}

/** One navigation's lookups: its first failing probe (n, i, visible, stray), if any. */
function probeSql(
  ctx: ReferenceContext,
  { source, nav, targetColumns, probes }: ProbeSet,
  params: SqlParams,
  n: number,
): string {
  const target = ctx.model.types.get(nav.target)!;
  const keyTypes = targetColumns.map((c) => target.properties.find((p) => p.column === c)!);
  // The source row's Guid columns (keys, foreign keys) are what consistency rules compare.
  const rowColumns = source.properties.filter(
    (p) => p.type === 'Edm.Guid' && !p.collection && !p.dynamic && !p.expression,
  );
  const t = 'ref_t';
  const visible = ctx.scope?.(target, t, params, new AliasGenerator());
  const related = ctx.related?.(source, target, t, (column) => `r.${ident(column)}`, params);
  const match = targetColumns.map((c, i) => `${t}.${ident(c)} = r."__k${i}"`);
  const exists = (extra: Array<string | undefined>) =>
    `EXISTS (SELECT 1 FROM ${ident(target.table)} ${t} WHERE ${[...match, ...extra].filter(Boolean).join(' AND ')})`;
  const record = [
    '"__i" integer',
    '"__full" boolean',
    ...keyTypes.map((p, i) => `"__k${i}" ${PG_TYPE[p.type]}`),
    ...rowColumns.map((p) => `${ident(p.column)} ${PG_TYPE[p.type]}`),
  ];
  // Probes alike (a batch's rows in one column, of one assignee) are looked up once, as the first
  // of them: the first failing item is still the one named.
  const unique = new Map<string, Record<string, unknown>>();
  probes.forEach((p, i) => {
    const probe = {
      ...Object.fromEntries(
        rowColumns.map((c) => [c.column, typeof p.row[c.column] === 'string' ? p.row[c.column] : null]),
      ),
      __full: p.full,
      ...Object.fromEntries(p.key.map((k, j) => [`__k${j}`, k])),
    };
    const signature = JSON.stringify(probe);
    if (!unique.has(signature)) unique.set(signature, { ...probe, __i: i });
  });
  const stray = related ? exists([`NOT (${related})`]) : 'FALSE';
  return `SELECT ${n} AS n, x.i, x.visible, x.stray FROM (
      SELECT r."__i" AS i, r."__full" AS "full", ${exists([visible])} AS visible, ${stray} AS stray
      FROM jsonb_to_recordset(CAST(${params.add(JSON.stringify([...unique.values()]))} AS jsonb)) AS r(${record.join(', ')})
    ) x WHERE (x."full" AND NOT x.visible) OR x.stray ORDER BY x.i LIMIT 1`;
}
