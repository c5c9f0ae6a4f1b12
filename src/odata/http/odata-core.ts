import { ReadRoute, readOn, transactionWithToken } from './consistency';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessPolicy, ReadScope } from '../access/access-policy';
import { ODataError } from '../errors/odata-error';
import type { EdmEntityType, EdmModel } from '../model/edm-model';
import type { ODataExtensions } from '../odata-extensions';
import type { ODataQuery } from '../query/odata-query';
import { bindQuery } from '../bind/bind-query';
import type { BoundQuery } from '../bind/bound-query';
import { PlanCache } from '../plan/plan-cache';
import { CountInput, Plan, Planner, Statement } from '../plan/planner';
import { runStatement } from '../plan/execute';
import { PagePrefetch } from './page-prefetch';
import type { SelectInput } from '../sql/build-select';
import { keyScope } from '../sql/row-scopes';
import type { SqlParams } from '../sql/sql-params';
import type { InputLimits } from '../uri/input-limits';
import type { ParsedRequest } from '../uri/parse-request';
import type { Negotiated } from './negotiation';
import type { ODataRequest } from './odata-request';
import type { EntityTarget } from './resolve-target';

export interface ODataLimits {
  maxPageSize: number;
  /** Requests in one $batch. */
  maxBatchRequests: number;
  /** How long one streamed page may take to reach a slow client before its cursor is dropped. */
  streamDeadlineMs?: number;
  maxTop: number;
  maxExpandDepth: number;
  maxFilterNodes: number;
  maxInList: number;
  /** Checked before parsing (uri/input-limits.ts); absent: not checked. */
  maxUrlLength?: number;
  maxOptionLength?: number;
  maxNesting?: number;
  maxJsonDepth?: number;
  /** Compiled plans kept (plan/plan-cache.ts); ODATA_PLAN_CACHE_SIZE. */
  planCacheSize?: number;
  /** Reads run as named (prepared) statements; DB_PREPARED_STATEMENTS. */
  preparedStatements?: boolean;
  /** A feed's next page is read while the current one is sent (page-prefetch.ts); ODATA_FEED_READ_AHEAD. */
  feedReadAhead?: boolean;
}

/** What pg's pool tells of its connections. */
interface PoolState {
  waitingCount: number;
  idleCount: number;
  totalCount: number;
  options: { max: number };
}

/** One request on its way through a request module: what it asked, parsed and negotiated once. */
export interface RequestContext {
  req: ODataRequest;
  parsed: ParsedRequest;
  query: ODataQuery;
  n: Negotiated;
}

/** A row of a buildSelect statement: the entity's JSON text, its ETag, the count, sort keys k0… */
export type Row = { j: string; etag?: string; count?: string } & Record<string, string | null>;

/** A query without options (a fresh one each time: the SQL builders may annotate it). */
export const noQuery = (): ODataQuery => ({ orderby: [], count: false, expand: [] });

/**
 * What every request module shares: the database, the model, the limits, the access policy and
 * the features' extensions, and the few rules written once (read scope, transactions, replica).
 */
export class ODataCore {
  readonly planner: Planner;
  /** Where reads outside transactions run: replicas (database/read-routing.ts); the primary without one. */
  readRoute?: ReadRoute;
  /** Next pages of feeds read ahead (page-prefetch.ts). */
  readonly prefetch = new PagePrefetch();

  constructor(
    readonly dataSource: DataSource,
    readonly model: EdmModel,
    readonly limits: ODataLimits,
    readonly access: AccessPolicy,
    readonly extensions: ODataExtensions,
    readonly inputLimits?: InputLimits,
    plans: PlanCache<Plan> = new PlanCache(limits.planCacheSize),
  ) {
    this.planner = new Planner(dataSource, plans);
  }

  /** uri/ -> bind/: the query resolved against the model, every limit checked (400s here). */
  bind(type: EdmEntityType, query: ODataQuery, limits = this.queryLimits()): BoundQuery {
    return bindQuery({ model: this.model, type, query, limits });
  }

  /** bind/ -> plan/: the statement of a read (compiled once per shape) and this request's values. */
  planSelect(input: SelectInput) {
    return this.planner.select(input);
  }

  planCount(input: CountInput) {
    return this.planner.count(input);
  }

  /** Runs a planned statement (named, unless DB_PREPARED_STATEMENTS=false). */
  run<R = Row>(manager: EntityManager, st: Statement): Promise<R[]> {
    return runStatement<R>(manager, st, this.limits.preparedStatements !== false);
  }

  /**
   * Reads the next page of a feed ahead, on an idle connection of the primary's pool only: a
   * request waiting for a connection never waits for a page nobody may ask for.
   */
  prefetchNext(req: ODataRequest, input: () => SelectInput): void {
    if (!this.limits.feedReadAhead) return;
    const pool = (this.dataSource.driver as unknown as { master?: PoolState }).master;
    const idle = () =>
      !!pool && pool.waitingCount === 0 && (pool.idleCount > 0 || pool.totalCount < pool.options.max);
    if (!idle()) return;
    let st: Statement;
    try {
      st = this.planSelect(input());
    } catch {
      return; // the request for the next page will report it
    }
    this.prefetch.start(st, () => this.reading(req, (m) => this.run<Row>(m, st)), idle);
  }

  /** The caller's read scope for this request (undefined: no caller, e.g. a public $metadata). */
  scope(req: ODataRequest): ReadScope | undefined {
    return req.caller ? this.access.readScope(req.caller) : undefined;
  }

  callerProperties(req: ODataRequest) {
    const caller = req.caller;
    const policy = this.access;
    if (!caller || !policy.callerProperties) return undefined;
    return (type: EdmEntityType, alias: string, params: SqlParams) =>
      policy.callerProperties!(type, alias, caller, params);
  }

  /** Limits buildSelect checks on the query. */
  queryLimits() {
    const { maxTop, maxExpandDepth, maxInList, maxFilterNodes } = this.limits;
    return { maxTop, maxExpandDepth, maxInList, maxFilterNodes };
  }

  /**
   * Runs `fn` in the request's transaction ($batch change set) or in a new one, whose commit
   * records the request's consistency token (consistency.ts).
   */
  async tx<T>(req: ODataRequest, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (req.transaction) return fn(req.transaction);
    const { value, token } = await transactionWithToken(this.dataSource, fn);
    if (token) req.committedAt = token;
    return value;
  }

  /**
   * Reads outside a transaction go to a read replica when DATABASE_READ_URLS names some (the
   * route picks one that has replayed past the request's consistency token; the primary otherwise).
   */
  async reading<T>(req: ODataRequest, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (req.transaction) return fn(req.transaction);
    return readOn(this.dataSource, this.readRoute, req, (runner) => fn(runner.manager));
  }

  /** 404 unless the caller can see the entity (the parent of a navigation read or create). */
  async ensureExists(req: ODataRequest, manager: EntityManager, target: EntityTarget): Promise<void> {
    const plan = this.planCount({
      model: this.model,
      type: target.type,
      query: this.bind(target.type, noQuery()),
      scopes: target.scopes,
      scope: this.scope(req),
    });
    const [{ count }] = await this.run<{ count: string }>(manager, plan);
    if (Number(count) === 0) throw ODataError.notFound(`${target.type.setName} not found`);
  }

  /** An entity as the caller reads it (what a write or an operation returns is read like any other read). */
  async readBack(
    req: ODataRequest,
    manager: EntityManager,
    type: EdmEntityType,
    key: Record<string, unknown>,
    n: Negotiated,
  ): Promise<Row | undefined> {
    const plan = this.planSelect({
      model: this.model,
      type,
      query: this.bind(type, noQuery()),
      metadata: n.metadata,
      scopes: [keyScope(type, key)],
      pageSize: 1,
      single: true,
      scope: this.scope(req),
      callerProperties: this.callerProperties(req),
    });
    const rows = await this.run(manager, plan);
    return rows[0];
  }
}
