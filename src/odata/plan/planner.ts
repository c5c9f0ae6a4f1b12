import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ReadScope } from '../access/access-policy';
import type { EdmEntityType } from '../model/edm-model';
import { RowScope, SelectInput, SelectPlan, buildCount, buildSelect, pageOf } from '../sql/build-select';
import { AliasGenerator } from '../sql/filter-to-sql';
import { buildApply } from '../sql/apply-to-sql';
import { OffsetPage, offsetPage } from '../sql/paging';
import { ParamSource, SqlParams } from '../sql/sql-params';
import { PlanCache } from './plan-cache';
import { Shape, holeIndex, holeValues, shapeOf } from './shape';

/**
 * A fragment of SQL the core gets from outside the bound query (the caller's read scope, the
 * URL's row scopes, caller-dependent properties), as it was written when the plan was compiled.
 * Per request it is written again for the request's caller and URL: the same text means the
 * plan fits, and the fragment's parameters are this request's.
 */
interface RecordedCall {
  kind: 'read' | 'row' | 'props';
  i: number;
  type?: EdmEntityType;
  alias: string;
  paramStart: number;
  aliasState: number;
  text: string;
}

/** A compiled statement: SQL with $n parameters, where each value comes from, its prepared name. */
export interface Plan {
  name: string;
  text: string;
  sources: ParamSource[];
  calls: RecordedCall[];
  sortKeys: number;
  /** $apply: the output columns, and the statement of the count alone. */
  apply?: { columns: string[]; count: { name: string; text: string; sources: ParamSource[] } };
}

/** What a planned read runs: a statement name, its SQL and this request's values. */
export interface Statement {
  name: string;
  sql: string;
  parameters: unknown[];
}

export type CountInput = Omit<SelectInput, 'pageSize' | 'metadata'>;

export type ApplyInput = Omit<SelectInput, 'metadata'>;

/** A planned $apply read: its statement, page, output columns and the count statement. */
export type ApplyStatement = Statement & { page: OffsetPage; columns: string[]; count: Statement };

const norm = (v: string | Record<string, string> | undefined) =>
  v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);

/**
 * bind/ -> plan/: finds (or compiles once) the plan of a bound query's shape and fills its
 * parameters for this request. The SQL is written only on a miss; a hit costs the shape walk,
 * the read scope written again (a few string joins) and the parameter list.
 */
export class Planner {
  constructor(
    private readonly dataSource: DataSource,
    readonly cache: PlanCache<Plan>,
  ) {}

  select(input: SelectInput): SelectPlan & Statement {
    const shape = shapeOf(input.query);
    const flags = [input.single, input.omitNulls, input.pageDigest].map((f) => (f ? 1 : 0)).join('');
    const key = `s|${input.metadata}|${flags}|${input.scopes.length}|${shape.key}`;
    const found = this.lookup(key, input);
    if (found) {
      const page = pageOf(input.query, input.pageSize, !!input.single, found.plan.sortKeys);
      const parameters = fill(found.plan, holeValues(shape), found.calls, page);
      const { pageSize, served, remaining } = page;
      return {
        ...statement(found.plan, parameters),
        sources: [],
        pageSize,
        served,
        remaining,
        sortKeys: found.plan.sortKeys,
      };
    }
    const { params, calls, recorded } = this.recording(input, shape);
    const built = buildSelect(this.dataSource, recorded, params);
    const plan = this.store(key, built, calls, built.sortKeys);
    return { ...built, name: plan.name };
  }

  count(input: CountInput): Statement {
    const shape = shapeOf(input.query);
    const key = `c|${input.scopes.length}|${shape.key}`;
    const found = this.lookup(key, input);
    if (found) return statement(found.plan, fill(found.plan, holeValues(shape), found.calls));
    const { params, calls, recorded } = this.recording(input, shape);
    const built = buildCount(this.dataSource, recorded, params);
    return { ...built, name: this.store(key, built, calls, 0).name };
  }

  /** $apply (groupby, aggregate): planned as the other reads; its paging is by offset. */
  apply(input: ApplyInput): ApplyStatement {
    const shape = shapeOf(input.query);
    const key = `a|${input.scopes.length}|${shape.key}`;
    const page = offsetPage(input.query, input.pageSize);
    const found = this.lookup(key, input);
    if (found) {
      const holes = holeValues(shape);
      const rows = { limit: page.limit + 1, offset: page.skip + page.served };
      const { columns, count } = found.plan.apply!;
      return {
        ...statement(found.plan, fill(found.plan, holes, found.calls, rows)),
        page,
        columns,
        count: statement({ ...found.plan, ...count }, fill({ ...found.plan, ...count }, holes, found.calls)),
      };
    }
    const { params, calls, recorded } = this.recording(input, shape);
    const built = buildApply(this.dataSource, recorded, params);
    const plan = this.store(key, built, calls, 0);
    const count = { ...built.count, name: plan.name && `${plan.name}_c` };
    plan.apply = {
      columns: built.columns,
      count: { name: count.name, text: count.sql, sources: count.sources },
    };
    return { ...built, name: plan.name, count };
  }

  private lookup(key: string, input: CountInput) {
    for (const plan of this.cache.variants(key) ?? []) {
      const calls = replay(plan, input);
      if (calls) {
        this.cache.hits++;
        return { plan, calls };
      }
    }
    this.cache.misses++;
    return undefined;
  }

  private store(
    key: string,
    built: { sql: string; sources: ParamSource[] },
    calls: RecordedCall[],
    sortKeys: number,
  ): Plan {
    const name = needsCustomPlan(built.sql)
      ? ''
      : `odata_${createHash('sha1').update(built.sql).digest('base64url').slice(0, 24)}`;
    const plan: Plan = { name, text: built.sql, sources: built.sources, calls, sortKeys };
    this.cache.add(key, plan);
    return plan;
  }

  /** The input with its outside fragments recorded as they are written (see RecordedCall). */
  private recording<I extends CountInput>(input: I, shape: Shape) {
    const params = new SqlParams();
    params.holes = holeIndex(shape);
    const calls: RecordedCall[] = [];
    const record = (
      call: Omit<RecordedCall, 'paramStart' | 'aliasState' | 'text'>,
      aliases: AliasGenerator | undefined,
      write: () => string | Record<string, string> | undefined,
    ) => {
      if (params.capture) return write(); // inside another recorded fragment: part of it
      const c = calls.length;
      const rec: RecordedCall = {
        ...call,
        paramStart: params.count,
        aliasState: aliases?.state ?? 0,
        text: '',
      };
      calls.push(rec);
      params.capture = { c, start: params.count };
      try {
        const out = write();
        rec.text = norm(out);
        return out;
      } finally {
        params.capture = undefined;
      }
    };
    const scope = input.scope;
    const read: ReadScope = (type, alias, p, aliases) =>
      record({ kind: 'read', i: 0, type, alias }, aliases, () => scope?.(type, alias, p, aliases)) as
        string | undefined;
    const scopes: RowScope[] = input.scopes.map(
      (s, i) => (alias, p, aliases) =>
        record({ kind: 'row', i, alias }, aliases, () => s(alias, p, aliases)) as string,
    );
    const props = input.callerProperties;
    const callerProperties = (type: EdmEntityType, alias: string, p: SqlParams) =>
      record({ kind: 'props', i: 0, type, alias }, undefined, () => props?.(type, alias, p)) as Record<
        string,
        string
      >;
    return { params, calls, recorded: { ...input, scope: read, scopes, callerProperties } };
  }
}

/**
 * A pattern match on a parameter (contains, startswith, endswith: LIKE; matchesPattern: ~) is
 * planned for its pattern: a prepared statement's generic plan cannot know that '%999%' is
 * selective, and on a million tasks scanned the table (140 ms) where the trigram index answers in
 * 10 ms. Such statements run unnamed (an empty name): parsed and planned per request, with the
 * pattern in hand. The SQL is still written once per shape.
 */
function needsCustomPlan(sql: string): boolean {
  return /\s(?:NOT\s+)?(?:I?LIKE|~\*?)\s/i.test(sql);
}

/** Each recorded fragment written again for this request; undefined when one reads differently. */
function replay(plan: Plan, input: CountInput): unknown[][] | undefined {
  const out: unknown[][] = [];
  for (const c of plan.calls) {
    const params = new SqlParams(c.paramStart);
    const aliases = new AliasGenerator(c.aliasState);
    const text =
      c.kind === 'read'
        ? input.scope?.(c.type!, c.alias, params, aliases)
        : c.kind === 'row'
          ? input.scopes[c.i]?.(c.alias, params, aliases)
          : input.callerProperties?.(c.type!, c.alias, params);
    if (norm(text) !== c.text) return undefined;
    out.push(Object.values(params.values));
  }
  return out;
}

function fill(
  plan: Pick<Plan, 'sources'>,
  holes: unknown[],
  calls: unknown[][],
  page?: { limit: number; offset: number; after?: Array<string | null> },
): unknown[] {
  return plan.sources.map((s) => {
    switch (s.k) {
      case 'const':
        return s.v;
      case 'hole':
        return s.map ? s.map(holes[s.i]) : holes[s.i];
      case 'call':
        return calls[s.c][s.j];
      case 'after':
        return page!.after![s.i];
      case 'limit':
        return page!.limit;
      case 'offset':
        return page!.offset;
    }
  });
}

function statement(plan: Pick<Plan, 'name' | 'text'>, parameters: unknown[]): Statement {
  return { name: plan.name, sql: plan.text, parameters };
}
