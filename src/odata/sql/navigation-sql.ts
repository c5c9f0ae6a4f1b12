import type { EdmEntityType, EdmModel, EdmNavigation } from '../model/edm-model';
import type { BoundCollection, NavStep, RangeVariable } from '../bind/bound-query';
import { SqlParams, ident } from './sql-params';
import type { ReadScope } from '../access/access-policy';

/** Navigations as SQL: joins, scalar subqueries along single-valued paths, collection sources. */

/** `AND <the caller's read scope of type at alias>`, or nothing. */
export function scopeAnd(
  ctx: Pick<TranslateContext, 'scope' | 'params' | 'aliases'>,
  type: EdmEntityType,
  alias: string,
): string {
  const s = ctx.scope?.(type, alias, ctx.params, ctx.aliases);
  return s ? ` AND ${s}` : '';
}

export interface TranslateContext {
  model: EdmModel;
  params: SqlParams;
  /** Where each range variable of the bound tree lives: an entity alias, or an element's SQL. */
  ranges: Map<RangeVariable, string>;
  /** Fresh alias generator shared by the whole statement. */
  aliases: AliasGenerator;
  /** What the caller may read, applied to every table an expression reaches. */
  scope?: ReadScope;
  /** $compute aliases, as SQL written once. */
  computed?: Map<string, string>;
  /** Properties of one range whose SQL depends on the caller (permission flags). */
  overrides?: { range: RangeVariable; sql: Record<string, string> };
}

export class AliasGenerator {
  /** `n`: the generator's state, to write a fragment again as it was written (plan/ replays). */
  constructor(private n = 0) {}
  get state(): number {
    return this.n;
  }
  next(prefix = 'a'): string {
    return `${prefix}${++this.n}`;
  }
}

/** The SQL condition that joins `from` (alias) to `to` (alias) along a navigation. */
export function navigationJoin(
  nav: EdmNavigation,
  fromAlias: string,
  toAlias: string,
  aliases: AliasGenerator,
): string {
  if (nav.join.kind === 'foreignKey') {
    return nav.join.pairs
      .map((p) => `${toAlias}.${ident(p.target)} = ${fromAlias}.${ident(p.source)}`)
      .join(' AND ');
  }
  const j = aliases.next('j');
  const { table, sourcePairs, targetPairs } = nav.join;
  const cond = [
    ...sourcePairs.map((p) => `${j}.${ident(p.junction)} = ${fromAlias}.${ident(p.source)}`),
    ...targetPairs.map((p) => `${j}.${ident(p.junction)} = ${toAlias}.${ident(p.target)}`),
  ].join(' AND ');
  return `EXISTS (SELECT 1 FROM ${ident(table)} ${j} WHERE ${cond})`;
}

/** Wraps the value at the end of `navs` (from `range`) in a scalar subquery along the joins. */
export function throughJoins(
  range: RangeVariable,
  navs: NavStep[],
  ctx: TranslateContext,
  value: (alias: string, type: EdmEntityType) => string,
): string {
  const start = ctx.ranges.get(range)!;
  if (navs.length === 0) return value(start, range.entity!);
  const joins = walk(start, navs, ctx);
  const [first, ...rest] = joins;
  const last = joins[joins.length - 1];
  // A related row the caller may not see counts as absent (null), through every join.
  const from = [
    `${ident(first.type.table)} ${first.to}`,
    ...rest.map(
      (j) =>
        `LEFT JOIN ${ident(j.type.table)} ${j.to} ON ${navigationJoin(j.nav, j.from, j.to, ctx.aliases)}${scopeAnd(ctx, j.type, j.to)}`,
    ),
  ];
  return `(SELECT ${value(last.to, last.type)} FROM ${from.join(' ')} WHERE ${navigationJoin(first.nav, first.from, first.to, ctx.aliases)}${scopeAnd(ctx, first.type, first.to)})`;
}

interface Join {
  nav: EdmNavigation;
  from: string;
  to: string;
  type: EdmEntityType;
}

function walk(start: string, navs: NavStep[], ctx: TranslateContext): Join[] {
  const joins: Join[] = [];
  let from = start;
  for (const s of navs) {
    const to = ctx.aliases.next();
    joins.push({ nav: s.nav, from, to, type: s.target });
    from = to;
  }
  return joins;
}

/** FROM/WHERE of the rows of a collection; registers the alias (or SQL) of its elements. */
export function collectionSource(c: BoundCollection, ctx: TranslateContext): { from: string; where: string } {
  const start = ctx.ranges.get(c.range)!;
  const joins = walk(start, c.navs, ctx);
  const owner = joins.length ? joins[joins.length - 1].to : start;
  const prefix = joins.map((j, i) =>
    i === 0
      ? `${ident(j.type.table)} ${j.to}`
      : `JOIN ${ident(j.type.table)} ${j.to} ON ${navigationJoin(j.nav, j.from, j.to, ctx.aliases)}${scopeAnd(ctx, j.type, j.to)}`,
  );
  const where = joins.length
    ? [
        navigationJoin(joins[0].nav, joins[0].from, joins[0].to, ctx.aliases) +
          scopeAnd(ctx, joins[0].type, joins[0].to),
      ]
    : [];
  const el = ctx.aliases.next('l');
  if (c.property) {
    const unnest = `unnest(${owner}.${ident(c.property.column)}) AS ${el}(v)`;
    ctx.ranges.set(c.element, `${el}.v`);
    return {
      from: prefix.length ? `${prefix.join(' ')} CROSS JOIN LATERAL ${unnest}` : unnest,
      where: where.join(' AND ') || 'TRUE',
    };
  }
  const target = c.nav!.target;
  ctx.ranges.set(c.element, el);
  const from = [
    ...prefix,
    prefix.length ? `JOIN ${ident(target.table)} ${el} ON TRUE` : `${ident(target.table)} ${el}`,
  ];
  where.push(navigationJoin(c.nav!.nav, owner, el, ctx.aliases) + scopeAnd(ctx, target, el));
  return { from: from.join(' '), where: where.join(' AND ') };
}
