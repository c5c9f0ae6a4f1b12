import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import QueryStream from 'pg-query-stream';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { ErrorCode, ODataError, fromStackOverflow } from '../errors/odata-error';
import { fromPostgresError } from '../errors/postgres-errors';
import { EdmEntityType, EdmModel, EdmOperation, qualified } from '../model/edm-model';
import type { OperationResult } from '../operations/operation-context';
import { PG_TYPE } from '../sql/pg-types';
import { toCsdlJson } from '../model/csdl-json';
import { DynamicPropertySource, withDynamicProperties } from '../model/dynamic-properties';
import { toCsdlXml } from '../model/csdl-xml';
import type { ODataQuery } from '../query/odata-query';
import { buildCount, buildSelect } from '../sql/build-select';
import { decodeSkipToken, encodeSkipToken } from '../sql/paging';
import { buildApply } from '../sql/apply-to-sql';
import { SqlParams, ident } from '../sql/sql-params';
import { AliasGenerator } from '../sql/filter-to-sql';
import {
  JSON_CONTENT_TYPE,
  collectionContext,
  entityContext,
  withLeadingAnnotations,
} from '../serialize/json-format';
import { parseQuery } from '../uri/parse-query-options';
import { parseResourcePath } from '../uri/parse-resource-path';
import { parseJsonBody, validateBody } from '../write/validate-body';
import { insertRows } from '../write/entity-writer';
import { ReferenceChange, checkReferences, referenceContext } from '../write/check-references';
import { Negotiated, negotiate, requireJson } from './negotiation';
import { checkMethod } from './allowed-methods';
import { BatchRunner } from '../batch/run-batch';
import type { AccessPolicy, ReadScope } from '../access/access-policy';
import type { ODataRequest, ODataResponse } from './odata-request';
import { EntityTarget, Target, keyScope, resolveTarget } from './resolve-target';
import type { AdmissionGate, WorkLane } from './admission';
import { workLaneOf } from './work-lane';
import { InputLimits, checkUrlLength } from '../uri/input-limits';
import { checkJsonDepth } from '../write/json-limits';
import { ReadRoute, peekFirst, readOn } from './consistency';
import { boundDestroy } from './cursor-destroy';

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
}

export interface OperationInvocation {
  request: ODataRequest;
  negotiated: Negotiated;
  target: Extract<Target, { kind: 'operation' }>;
  manager: EntityManager;
  model: EdmModel;
}

/** Characters of a streamed page written at once (see readCollection's frame()). */
const FRAME_CHUNK = 64 * 1024;
/** A cursor fetches at most this many rows per round trip (memory stays bounded for big pages). */
const MAX_ROWS_PER_FETCH = 2000;

/** Bound and unbound operations are provided by feature modules; the core only routes to them. */
export interface OperationRouter {
  invoke(inv: OperationInvocation): Promise<ODataResponse | undefined>;
}

type Row = { j: string; etag?: string; count?: string } & Record<string, string | null>;

/**
 * Routes one OData request (HTTP or a $batch part) to read, write or operation handling.
 * Knows nothing of tasks: everything it needs comes from the EdmModel.
 */
export class ODataRequestHandler {
  private metadataXml?: string;
  private metadataModel?: EdmModel;
  private metadataJson?: string;
  operations?: OperationRouter;
  /**
   * Admission to the database for requests arriving over HTTP (fastify-binding.ts takes a slot
   * before a request runs); $batch parts run inside their batch's slot.
   */
  admission?: AdmissionGate;
  /** Where reads outside transactions run: replicas (database/read-routing.ts); the primary without one. */
  readRoute?: ReadRoute;
  /** Who may see and change what (a feature provides it); without one, everything is visible. */
  access?: AccessPolicy;
  /** Checks a feature adds to writes of one entity set (values by column), e.g. webhook URLs. */
  readonly writeValidators = new Map<
    string,
    (values: Record<string, unknown>, mode: 'create' | 'update' | 'replace') => Promise<void>
  >();
  /** Run-time dynamic properties of open types, by type name (see DynamicPropertySource). */
  readonly dynamicSources = new Map<string, DynamicPropertySource>();
  private metadataStamp?: string;
  /** constraint name -> OData property, for foreign-key errors that name what the client sent */
  private readonly constraintTargets = new Map<string, string>();

  private readonly batch: BatchRunner;
  /** What a request may ask of the parsers; undefined when the limits leave them unset. */
  readonly inputLimits?: InputLimits;

  constructor(
    private readonly dataSource: DataSource,
    readonly model: EdmModel,
    private readonly limits: ODataLimits,
  ) {
    this.batch = new BatchRunner(dataSource, (req) => this.handle(req), {
      maxRequests: limits.maxBatchRequests,
    });
    if (limits.maxUrlLength && limits.maxOptionLength && limits.maxNesting) {
      // A parsed $filter may hold maxFilterNodes nodes; its text rarely needs more than two terms per node.
      const maxTerms = 2 * limits.maxFilterNodes;
      const { maxUrlLength, maxOptionLength, maxNesting } = limits;
      this.inputLimits = { maxUrlLength, maxOptionLength, maxNesting, maxTerms };
    }
    for (const m of dataSource.entityMetadatas) {
      for (const fk of m.foreignKeys) {
        if (fk.name) fk.columnNames.forEach((c) => this.constraintTargets.set(fk.name!, c));
      }
    }
  }

  /** The admission lane of an HTTP request: long for $batch and large pages (work-lane.ts). */
  laneOf(req: Pick<ODataRequest, 'method' | 'path' | 'search' | 'headers'>): WorkLane {
    return workLaneOf(this.model, req, this.limits.maxPageSize, this.inputLimits);
  }

  /** The caller's read scope for this request (undefined: no restriction). */
  private scope(req: ODataRequest): ReadScope | undefined {
    return req.caller && this.access ? this.access.readScope(req.caller) : undefined;
  }

  private callerProperties(req: ODataRequest) {
    const caller = req.caller;
    const policy = this.access;
    if (!caller || !policy?.callerProperties) return undefined;
    return (type: EdmEntityType, alias: string, params: SqlParams) =>
      policy.callerProperties!(type, alias, caller, params);
  }

  private async checkWrite(
    req: ODataRequest,
    type: EdmEntityType,
    kind: 'create' | 'update' | 'delete',
    manager: EntityManager,
    row: { before?: Record<string, unknown>; after?: Record<string, unknown> },
  ): Promise<void> {
    if (req.caller && this.access) await this.access.checkWrite(type, kind, req.caller, manager, row);
  }

  /** Every foreign key the write sets must point at a row the caller can see, consistent with the row. */
  private checkReferences(
    req: ODataRequest,
    type: EdmEntityType,
    manager: EntityManager,
    change: ReferenceChange,
  ): Promise<void> {
    return checkReferences(referenceContext(manager, this.model, this.access, req.caller), type, [change]);
  }

  /** Runs `fn` in the request's transaction ($batch change set) or in a new one. */
  private tx<T>(req: ODataRequest, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return req.transaction ? fn(req.transaction) : this.dataSource.transaction(fn);
  }

  async handle(req: ODataRequest): Promise<ODataResponse> {
    let negotiated: Negotiated | undefined;
    try {
      checkUrlLength(req.path, req.search, this.inputLimits);
      const query = parseQuery(req.search, this.inputLimits);
      negotiated = negotiate(req.headers, query.format);
      this.checkBody(req);
      const response = await this.route(req, query, negotiated);
      response.headers['OData-Version'] ??= negotiated.version;
      return response;
    } catch (e) {
      return this.errorResponse(e, negotiated?.version ?? '4.0');
    }
  }

  /** A JSON body nested beyond the limit is refused before JSON.parse (and the recursion that follows it). */
  private checkBody(req: ODataRequest): void {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    const max = this.limits.maxJsonDepth;
    if (req.body && max && (type === '' || type.includes('json'))) checkJsonDepth(req.body, max);
  }

  errorResponse(e: unknown, version = '4.0'): ODataResponse {
    const error =
      e instanceof ODataError
        ? e
        : (fromStackOverflow(e) ?? fromPostgresError(e, (c) => this.constraintTargets.get(c)));
    if (!error) throw e; // not the client's fault: the exception filter logs it and answers 500
    return {
      status: error.status,
      headers: {
        'Content-Type': 'application/json;charset=utf-8',
        'OData-Version': version,
        ...(error.headers ?? {}),
      },
      body: JSON.stringify(error.toJSON()),
    };
  }

  private async route(req: ODataRequest, query: ODataQuery, n: Negotiated): Promise<ODataResponse> {
    const path = req.path.replace(/\/+$/, '');
    const method = req.method.toUpperCase();
    if (path === '') {
      checkMethod(method, 'service', 'the service document');
      requireJson(n);
      return this.serviceDocument(req, n);
    }
    if (path === '/$metadata') {
      checkMethod(method, 'metadata', '$metadata');
      return this.metadata(n, req);
    }
    if (path === '/$batch') {
      // A nested $batch would escape ODATA_MAX_BATCH_REQUESTS (each level may hold that many).
      if (req.transaction || req.inBatch) {
        throw ODataError.badRequest('A $batch cannot contain another $batch', '$batch');
      }
      return this.batch.run(req);
    }
    const segments = parseResourcePath(path, this.inputLimits);
    const target = resolveTarget(this.model, segments, this.scope(req));
    // $count and $value are text/plain; everything else here answers OData JSON.
    if (target.kind !== 'count' && target.kind !== 'value') requireJson(n);

    if (target.kind === 'operation') {
      const result =
        this.operations &&
        (await this.tx(req, (manager) =>
          this.operations!.invoke({ request: req, negotiated: n, target, manager, model: this.model }),
        ));
      if (result) return result;
      throw new ODataError(
        404,
        ErrorCode.UnknownResource,
        `'${target.name}' is not a property, navigation or operation of ${target.bound?.type.name}`,
        target.name,
      );
    }

    checkMethod(method, target, 'type' in target ? target.type.setName : 'this resource');
    switch (method) {
      case 'POST':
        return this.create(req, target as Extract<Target, { kind: 'collection' }>, n);
      case 'PATCH':
      case 'MERGE':
        return this.update(req, target as EntityTarget, n, 'update');
      case 'PUT':
        return this.update(req, target as EntityTarget, n, 'replace');
      case 'DELETE':
        return this.remove(req, target as EntityTarget);
      default:
        return this.read(req, target, query, n);
    }
  }

  private serviceDocument(req: ODataRequest, n: Negotiated): ODataResponse {
    const body = {
      '@odata.context': `${req.serviceRoot}/$metadata`,
      value: this.model.entityTypes.map((t) => ({ name: t.setName, kind: 'EntitySet', url: t.setName })),
    };
    return { status: 200, headers: { 'Content-Type': JSON_CONTENT_TYPE(n) }, body: JSON.stringify(body) };
  }

  private async metadata(n: Negotiated, req: ODataRequest): Promise<ODataResponse> {
    // Declared dynamic properties (CF_<FieldName>) change with the data: rebuild when they do.
    const manager = req.transaction ?? this.dataSource.manager;
    let model = this.model;
    if (this.dynamicSources.size) {
      const stamps = await Promise.all([...this.dynamicSources.values()].map((s) => s.stamp(manager)));
      const stamp = stamps.join('|');
      if (stamp !== this.metadataStamp) {
        const types = await Promise.all(this.model.entityTypes.map((t) => this.withDynamic(t, manager)));
        model = {
          ...this.model,
          entityTypes: types,
          types: new Map(types.map((t) => [t.name, t])),
          sets: new Map(types.map((t) => [t.setName, t])),
        };
        this.metadataXml = undefined;
        this.metadataJson = undefined;
        this.metadataStamp = stamp;
        this.metadataModel = model;
      } else model = this.metadataModel ?? model;
    }
    // Excel, Power BI and OData 4.0 clients read only CSDL XML: JSON when asked for by name.
    if (n.csdlJson) {
      this.metadataJson ??= JSON.stringify(toCsdlJson(model));
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json;charset=utf-8' },
        body: this.metadataJson,
      };
    }
    this.metadataXml ??= toCsdlXml(model);
    return {
      status: 200,
      headers: { 'Content-Type': 'application/xml;charset=utf-8' },
      body: this.metadataXml,
    };
  }

  /** The type with its declared dynamic properties, when a source provides them. */
  private async withDynamic(type: EdmEntityType, manager: EntityManager): Promise<EdmEntityType> {
    const source = this.dynamicSources.get(type.name);
    if (!source) return type;
    return withDynamicProperties(type, await source.properties(manager));
  }

  private pageSize(n: Negotiated): { size: number; applied?: string } {
    const asked = Number(n.prefer.get('odata.maxpagesize'));
    if (Number.isInteger(asked) && asked > 0 && asked < this.limits.maxPageSize) {
      return { size: asked, applied: `odata.maxpagesize=${asked}` };
    }
    return { size: this.limits.maxPageSize };
  }

  private limitsFor() {
    return {
      maxTop: this.limits.maxTop,
      maxExpandDepth: this.limits.maxExpandDepth,
      maxInList: this.limits.maxInList,
      maxFilterNodes: this.limits.maxFilterNodes,
    };
  }

  /** Serialises what an operation returned, with the context URL of its return type. */
  async operationResponse(
    inv: OperationInvocation,
    op: EdmOperation,
    result: OperationResult,
  ): Promise<ODataResponse> {
    const { request: req, negotiated: n, manager } = inv;
    const json = (body: string, status = 200): ODataResponse => ({
      status,
      headers: { 'Content-Type': JSON_CONTENT_TYPE(n) },
      body,
    });
    switch (result.kind) {
      case 'none':
        return { status: 204, headers: {} };
      case 'response':
        return result.response;
      case 'entity': {
        const type = this.model.sets.get(result.entitySet)!;
        const key = Object.fromEntries(type.keys.map((k) => [k.column, result.key[k.name]]));
        const row = await this.readBack(req, manager, type, key, n);
        if (!row) throw ODataError.notFound(`${type.setName} not found`);
        return this.entityResponse(req, type, row, { orderby: [], count: false, expand: [] }, n, 200);
      }
      case 'entities': {
        const type = this.model.sets.get(result.entitySet)!;
        const k = type.keys[0];
        const ids = result.keys.map((key) => key[k.name]);
        const plan = buildSelect(manager.connection, {
          model: this.model,
          type,
          query: { orderby: [], count: false, expand: [] },
          metadata: n.metadata,
          scopes: [
            (alias, params) =>
              `${alias}.${ident(k.column)} = ANY(${params.typed(ids, PG_TYPE[k.type] + '[]')})`,
          ],
          pageSize: Math.max(ids.length, 1),
          limits: { ...this.limitsFor(), maxTop: Number.MAX_SAFE_INTEGER },
          scope: this.scope(req),
          callerProperties: this.callerProperties(req),
        });
        const rows: Row[] = await manager.query(plan.sql, plan.parameters);
        // Keep the order the operation returned (e.g. BatchInsert: the order of the items).
        const position = new Map(ids.map((id, i) => [String(id), i]));
        const keyIndex = plan.sortKeys - 1;
        rows.sort(
          (a, b) => position.get(String(a[`k${keyIndex}`]))! - position.get(String(b[`k${keyIndex}`]))!,
        );
        const context =
          n.metadata === 'none'
            ? ''
            : `"@odata.context":${JSON.stringify(`${req.serviceRoot}/$metadata#${type.setName}`)},`;
        return json(`{${context}"value":[${rows.map((r) => r.j).join(',')}]}`);
      }
      case 'value': {
        const ret = op.returnType;
        const typeName = ret ? qualified(this.model, ret.type) : 'Edm.Untyped';
        const context = `${req.serviceRoot}/$metadata#${ret?.collection ? `Collection(${typeName})` : typeName}`;
        const isComplex = ret && !ret.type.startsWith('Edm.') && !ret.collection;
        if (isComplex && result.value && typeof result.value === 'object') {
          return json(
            JSON.stringify(
              n.metadata === 'none'
                ? result.value
                : { '@odata.context': context, ...(result.value as object) },
            ),
          );
        }
        return json(
          JSON.stringify(
            n.metadata === 'none'
              ? { value: result.value }
              : { '@odata.context': context, value: result.value },
          ),
        );
      }
    }
  }

  private async ensureExists(manager: EntityManager, target: EntityTarget, scope?: ReadScope): Promise<void> {
    const plan = buildCount(manager.connection, {
      model: this.model,
      type: target.type,
      query: { orderby: [], count: false, expand: [] },
      scopes: target.scopes,
      limits: this.limitsFor(),
      scope,
    });
    const [{ count }] = await manager.query(plan.sql, plan.parameters);
    if (Number(count) === 0) throw ODataError.notFound(`${target.type.setName} not found`);
  }

  /**
   * Reads outside a transaction go to a read replica when DATABASE_READ_URLS names some (the
   * route picks one that has replayed past the request's consistency token; the primary otherwise).
   */
  private async reading<T>(req: ODataRequest, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (req.transaction) return fn(req.transaction);
    // --- read routing (consistency.ts, database/read-routing.ts) ---
    return readOn(this.dataSource, this.readRoute, req, (runner) => fn(runner.manager));
    // --- end read routing ---
  }

  private read(req: ODataRequest, target: Target, query: ODataQuery, n: Negotiated): Promise<ODataResponse> {
    return this.reading(req, (manager) => this.readWith(manager, req, target, query, n));
  }

  private async readWith(
    manager: EntityManager,
    req: ODataRequest,
    target: Target,
    query: ODataQuery,
    n: Negotiated,
  ): Promise<ODataResponse> {
    if (
      (target.kind === 'collection' || target.kind === 'entity') &&
      this.dynamicSources.has(target.type.name)
    ) {
      target = { ...target, type: await this.withDynamic(target.type, manager) } as typeof target;
    } else if (target.kind === 'count' && this.dynamicSources.has(target.of.type.name)) {
      target = { ...target, of: { ...target.of, type: await this.withDynamic(target.of.type, manager) } };
    }
    switch (target.kind) {
      case 'collection':
        return this.readCollection(req, manager, target, query, n);
      case 'entity':
        return this.readEntity(req, manager, target, query, n);
      case 'count': {
        if (target.of.via) await this.ensureExists(manager, target.of.via.parent, this.scope(req));
        const plan = buildCount(manager.connection, {
          model: this.model,
          type: target.of.type,
          query,
          scopes: target.of.scopes,
          limits: this.limitsFor(),
          scope: this.scope(req),
        });
        const [{ count }] = await manager.query(plan.sql, plan.parameters);
        return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: String(count) };
      }
      case 'property':
      case 'value': {
        const prop = target.kind === 'property' ? target : target.of;
        const qb = manager
          .createQueryBuilder()
          .select(`e0.${ident(prop.property.column)}`, 'v')
          .from(prop.entity.type.table, 'e0');
        const params = new SqlParams();
        const aliases = new AliasGenerator();
        const visible = this.scope(req)?.(prop.entity.type, 'e0', params, aliases);
        qb.where(
          [...prop.entity.scopes.map((s) => s('e0', params, aliases)), ...(visible ? [visible] : [])].join(
            ' AND ',
          ),
        ).setParameters(params.values);
        if (prop.property.type === 'Edm.DateTimeOffset')
          qb.select(`to_json(e0.${ident(prop.property.column)})`, 'v');
        const rows = await qb.getRawMany();
        if (rows.length === 0) throw ODataError.notFound(`${prop.entity.type.setName} not found`);
        let value = rows[0].v;
        if (typeof value === 'string' && prop.property.type === 'Edm.DateTimeOffset')
          value = JSON.parse(`"${value.replace(/^"|"$/g, '')}"`);
        if (target.kind === 'value') {
          if (value === null) return { status: 204, headers: {} };
          return {
            status: 200,
            headers: { 'Content-Type': 'text/plain;charset=utf-8' },
            body: String(value),
          };
        }
        if (value === null) return { status: 204, headers: {} };
        const key = Object.values(prop.entity.key ?? {}).join(',');
        return {
          status: 200,
          headers: { 'Content-Type': JSON_CONTENT_TYPE(n) },
          body: JSON.stringify({
            '@odata.context': `${req.serviceRoot}/$metadata#${prop.entity.type.setName}(${key})/${prop.property.name}`,
            value,
          }),
        };
      }
      case 'ref':
        return this.readRefs(req, manager, target, n);
      default:
        throw ODataError.badRequest('This resource cannot be read');
    }
  }

  private async readCollection(
    req: ODataRequest,
    manager: EntityManager,
    target: Extract<Target, { kind: 'collection' }>,
    query: ODataQuery,
    n: Negotiated,
  ): Promise<ODataResponse> {
    if (target.via) await this.ensureExists(manager, target.via.parent, this.scope(req));
    if (query.apply) return this.readApply(req, manager, target, query, n);
    const page = this.pageSize(n);
    const omitNulls = (n.prefer.get('omit-values') ?? '').toLowerCase() === 'nulls';
    const plan = buildSelect(manager.connection, {
      model: this.model,
      type: target.type,
      query,
      metadata: n.metadata,
      scopes: target.scopes,
      pageSize: page.size,
      limits: this.limitsFor(),
      scope: this.scope(req),
      callerProperties: this.callerProperties(req),
      omitNulls,
      pageDigest: query.expand.length === 0,
    });
    const applied = [page.applied, omitNulls ? 'omit-values=nulls' : undefined].filter(Boolean).join(', ');
    const headers: Record<string, string> = { 'Content-Type': JSON_CONTENT_TYPE(n) };
    if (applied) headers['Preference-Applied'] = applied;

    // Top-level reads stream the page from a cursor as it is written; inside a $batch change set
    // the rows are read in the batch's transaction and framed in memory (one page at most).
    // REVISIT: a navigation read (Task(<key>)/Notes) has already used the `reading` connection
    // (ensureExists) and holds it while the cursor takes a second one, so it briefly needs two
    // connections for its one admission slot; under saturation that second one waits in the pool
    // (bounded by DB_POOL_WAIT_MS). Running the cursor on the `reading` connection would need the
    // $count query below to run before the cursor opens.
    const started = performance.now();
    const source = req.transaction
      ? undefined
      : await this.openCursor(
          req,
          plan.sql,
          plan.parameters,
          Math.min(plan.pageSize + 1, MAX_ROWS_PER_FETCH),
        );
    const rows: AsyncIterator<Row> = source
      ? source.rows
      : (((await manager.query(plan.sql, plan.parameters)) as Row[])[
          Symbol.iterator
        ]() as unknown as AsyncIterator<Row>);
    let first: IteratorResult<Row>;
    try {
      first = await rows.next();
    } catch (e) {
      await source?.close();
      throw e;
    }
    const dbMs = performance.now() - started;
    const firstRow = first.done ? undefined : first.value;

    let count: string | undefined;
    if (query.count) {
      if (firstRow) count = firstRow.count;
      else {
        const c = buildCount(manager.connection, {
          model: this.model,
          type: target.type,
          query,
          scopes: target.scopes,
          limits: this.limitsFor(),
          scope: this.scope(req),
        });
        count = (await manager.query(c.sql, c.parameters))[0].count;
      }
    }
    // The page's ETag: its rows' versions and the count (Power BI re-reads pages; 304 then).
    if (firstRow?.digest !== undefined) {
      const etag = `W/"p${createHash('sha1')
        .update(`${firstRow.digest}|${count ?? ''}|${req.search}`)
        .digest('base64url')
        .slice(0, 22)}"`;
      headers.ETag = etag;
      const ifNoneMatch = req.headers['if-none-match'];
      if (ifNoneMatch && matchesEtag(ifNoneMatch, etag)) {
        await source?.close();
        return { status: 304, headers: { ETag: etag } };
      }
    }
    const head: string[] = [];
    if (n.metadata !== 'none')
      head.push(`"@odata.context":${JSON.stringify(collectionContext(req.serviceRoot, target.type, query))}`);
    if (count !== undefined) head.push(`"@odata.count":${Number(count)}`);
    const open = `{${head.join(',')}${head.length ? ',' : ''}"value":[`;
    const meta = { rows: 0, dbMs };
    const nextLinkAfter = (last: Row, served: number) => {
      const after = Array.from({ length: plan.sortKeys }, (_, i) => last[`k${i}`] ?? null);
      return `${req.serviceRoot}${req.path}?${nextQueryString(req.search, encodeSkipToken({ after, served: plan.served + served }))}`;
    };
    const moreWanted = plan.remaining === undefined || plan.remaining > plan.pageSize;

    // Rows are written in chunks of about FRAME_CHUNK characters, not one by one: each chunk
    // costs a socket write (a system call), and a 1,000-row page would otherwise take 1,000.
    async function* frame(): AsyncGenerator<string> {
      try {
        let chunk = open;
        let served = 0;
        let last: Row | undefined;
        let next = first;
        while (!next.done) {
          if (served === plan.pageSize) {
            // the one row beyond the page: there is a next page
            yield `${chunk}]${moreWanted ? `,"@odata.nextLink":${JSON.stringify(nextLinkAfter(last!, served))}` : ''}}`;
            meta.rows = served;
            return;
          }
          chunk += served === 0 ? next.value.j : `,${next.value.j}`;
          if (chunk.length >= FRAME_CHUNK) {
            yield chunk;
            chunk = '';
          }
          last = next.value;
          served++;
          next = await rows.next();
        }
        meta.rows = served;
        yield `${chunk}]}`;
      } finally {
        await source?.close();
      }
    }
    if (source) {
      const body = Readable.from(frame(), { objectMode: false });
      // A client that leaves before (or while) reading must not keep the cursor's connection.
      body.once('close', () => void source.close());
      return { status: 200, headers, body, meta };
    }
    let body = '';
    for await (const chunk of frame()) body += chunk;
    return { status: 200, headers, body, meta };
  }

  /**
   * Rows of one statement from a server-side cursor, on a connection held until close(). The
   * cursor is read as the client consumes the response; a client too slow to take one page
   * within STREAM_DEADLINE_MS loses it, so no connection is held hostage.
   */
  private openCursor(
    req: ODataRequest,
    sql: string,
    parameters: unknown[],
    rowsPerFetch: number,
  ): Promise<{ rows: AsyncIterator<Row>; close(): Promise<void> }> {
    // --- read routing: the first row is read here, so a replica failing before it is retried on the primary ---
    return readOn(
      this.dataSource,
      this.readRoute,
      req,
      async (runner) => peekFirst(await this.cursorOn(runner, sql, parameters, rowsPerFetch)),
      true,
    );
    // --- end read routing ---
  }

  private async cursorOn(
    runner: QueryRunner,
    sql: string,
    parameters: unknown[],
    rowsPerFetch: number,
  ): Promise<{ rows: AsyncIterator<Row>; close(): Promise<void> }> {
    let closed = false;
    try {
      // As TypeORM's runner.stream(), but with the fetch size chosen here: a page comes in one
      // round trip rather than TypeORM's default of 100 rows per FETCH.
      const connection: { query(q: QueryStream): QueryStream } = await runner.connect();
      const stream = connection.query(new QueryStream(sql, parameters, { batchSize: rowsPerFetch }));
      boundDestroy(stream); // --- a dead connection must not leave its reader waiting (cursor-destroy.ts) ---
      stream.on('error', () => undefined); // reported through the iterator; never an unhandled 'error'
      const rows = (stream as unknown as AsyncIterable<Row>)[Symbol.asyncIterator]();
      const close = async () => {
        if (closed) return;
        closed = true;
        clearTimeout(deadline);
        // Close the cursor before the connection goes back to the pool; a connection whose
        // cursor does not close promptly is discarded rather than reused half-read.
        const cursorClosed =
          stream.destroyed && (stream as { closed?: boolean }).closed
            ? Promise.resolve(true)
            : new Promise<boolean>((done) => {
                const timer = setTimeout(() => done(false), 1000);
                stream.once('close', () => {
                  clearTimeout(timer);
                  done(true);
                });
                stream.destroy();
              });
        if (await cursorClosed) await runner.release();
        else
          await (
            runner as unknown as { releasePostgresConnection(err: Error): Promise<void> }
          ).releasePostgresConnection(new Error('cursor not closed'));
      };
      const deadline = setTimeout(() => void close(), this.limits.streamDeadlineMs ?? 60_000);
      deadline.unref();
      return { rows, close };
    } catch (e) {
      await runner.release();
      throw e;
    }
  }

  /** $apply results: rows of group values and aggregates, nested for navigation paths. */
  private async readApply(
    req: ODataRequest,
    manager: EntityManager,
    target: Extract<Target, { kind: 'collection' }>,
    query: ODataQuery,
    n: Negotiated,
  ): Promise<ODataResponse> {
    const page = this.pageSize(n);
    const offset = query.skiptoken ? decodeSkipToken(query.skiptoken, 0).served : 0;
    const plan = buildApply(manager.connection, {
      model: this.model,
      type: target.type,
      query,
      scopes: target.scopes,
      pageSize: page.size,
      offset,
      maxInList: this.limits.maxInList,
      scope: this.scope(req),
    });
    const rows: Array<{ j: string; count?: string }> = await manager.query(plan.sql, plan.parameters);
    const hasMore = rows.length > plan.pageSize;
    const value = rows.slice(0, plan.pageSize).map((r) => {
      const values = JSON.parse(r.j) as unknown[];
      const obj: Record<string, any> = n.metadata === 'none' ? {} : { '@odata.id': null };
      plan.columns.forEach((c, i) => {
        const path = c.split('/');
        let o = obj;
        for (const seg of path.slice(0, -1)) o = o[seg] ??= {};
        o[path[path.length - 1]] = values[i];
      });
      return obj;
    });
    const body: Record<string, unknown> = {};
    if (n.metadata !== 'none')
      body['@odata.context'] = `${req.serviceRoot}/$metadata#${target.type.setName}(${plan.columns
        .map((c) => c.split('/')[0])
        .filter((c, i, a) => a.indexOf(c) === i)
        .join(',')})`;
    if (query.count) body['@odata.count'] = Number(rows[0]?.count ?? 0);
    body.value = value;
    if (hasMore)
      body['@odata.nextLink'] =
        `${req.serviceRoot}${req.path}?${nextQueryString(req.search, encodeSkipToken({ after: [], served: offset + plan.pageSize }))}`;
    const headers: Record<string, string> = { 'Content-Type': JSON_CONTENT_TYPE(n) };
    if (page.applied) headers['Preference-Applied'] = page.applied;
    return { status: 200, headers, body: JSON.stringify(body) };
  }

  private async readEntity(
    req: ODataRequest,
    manager: EntityManager,
    target: EntityTarget,
    query: ODataQuery,
    n: Negotiated,
  ): Promise<ODataResponse> {
    if (query.top !== undefined || query.skip !== undefined || query.orderby.length || query.filter) {
      // $filter on a single entity is allowed by 4.01 but unusual; the others make no sense here
      if (query.orderby.length || query.top !== undefined || query.skip !== undefined) {
        throw ODataError.badRequest(
          '$orderby, $top and $skip apply to collections only',
          undefined,
          ErrorCode.BadQueryOption,
        );
      }
    }
    if (target.via && !target.key) await this.ensureExists(manager, target.via.parent, this.scope(req));
    const plan = buildSelect(manager.connection, {
      model: this.model,
      type: target.type,
      query,
      metadata: n.metadata,
      scopes: target.scopes,
      pageSize: 1,
      single: true,
      limits: this.limitsFor(),
      scope: this.scope(req),
      callerProperties: this.callerProperties(req),
    });
    const rows: Row[] = await manager.query(plan.sql, plan.parameters);
    if (rows.length === 0) {
      if (target.via && !target.key && !target.via.nav.collection) return { status: 204, headers: {} };
      throw ODataError.notFound(`${target.type.setName} not found`);
    }
    return this.entityResponse(req, target.type, rows[0], query, n, 200);
  }

  private entityResponse(
    req: ODataRequest,
    type: EdmEntityType,
    row: Row,
    query: ODataQuery,
    n: Negotiated,
    status: number,
  ): ODataResponse {
    const etag = row.etag ? `W/"${row.etag}"` : undefined;
    const headers: Record<string, string> = { 'Content-Type': JSON_CONTENT_TYPE(n) };
    if (etag) headers.ETag = etag;
    if (
      etag &&
      req.headers['if-none-match'] &&
      matchesEtag(req.headers['if-none-match'], etag) &&
      req.method === 'GET'
    ) {
      return { status: 304, headers: { ETag: etag } };
    }
    const annotations =
      n.metadata === 'none' ? {} : { '@odata.context': entityContext(req.serviceRoot, type, query) };
    return { status, headers, body: withLeadingAnnotations(row.j, annotations) };
  }

  private async readRefs(
    req: ODataRequest,
    manager: EntityManager,
    target: Extract<Target, { kind: 'ref' }>,
    n: Negotiated,
  ): Promise<ODataResponse> {
    const of = target.of;
    const query: ODataQuery = {
      orderby: [],
      count: false,
      expand: [],
      select: of.type.keys.map((k) => k.name),
    };
    const plan = buildSelect(manager.connection, {
      model: this.model,
      type: of.type,
      query,
      metadata: 'none',
      scopes: of.scopes,
      pageSize: this.limits.maxPageSize,
      single: of.kind === 'entity',
      limits: this.limitsFor(),
      scope: this.scope(req),
    });
    const rows: Row[] = await manager.query(plan.sql, plan.parameters);
    const ids = rows.slice(0, plan.pageSize).map((r) => {
      const key = JSON.parse(r.j);
      return `${req.serviceRoot}/${of.type.setName}(${of.type.keys.map((k) => key[k.name]).join(',')})`;
    });
    if (of.kind === 'entity') {
      if (!ids.length) throw ODataError.notFound(`${of.type.setName} not found`);
      return {
        status: 200,
        headers: { 'Content-Type': JSON_CONTENT_TYPE(n) },
        body: JSON.stringify({ '@odata.context': `${req.serviceRoot}/$metadata#$ref`, '@odata.id': ids[0] }),
      };
    }
    return {
      status: 200,
      headers: { 'Content-Type': JSON_CONTENT_TYPE(n) },
      body: JSON.stringify({
        '@odata.context': `${req.serviceRoot}/$metadata#Collection($ref)`,
        value: ids.map((id) => ({ '@odata.id': id })),
      }),
    };
  }

  private checkWritable(type: EdmEntityType): void {
    if (type.readOnly)
      throw new ODataError(405, ErrorCode.ReadOnly, `${type.setName} is read-only`, type.setName, undefined, {
        Allow: 'GET',
      });
  }

  private checkContentType(req: ODataRequest): void {
    const ct = (req.headers['content-type'] ?? 'application/json').toLowerCase();
    if (!ct.startsWith('application/json')) {
      throw new ODataError(
        415,
        ErrorCode.UnsupportedMediaType,
        `Content-Type ${ct} is not supported; send application/json`,
      );
    }
  }

  private async readBack(
    req: ODataRequest,
    manager: EntityManager,
    type: EdmEntityType,
    key: Record<string, unknown>,
    n: Negotiated,
  ): Promise<Row> {
    const plan = buildSelect(manager.connection, {
      model: this.model,
      type,
      query: { orderby: [], count: false, expand: [] },
      metadata: n.metadata,
      scopes: [keyScope(type, key)],
      pageSize: 1,
      single: true,
      limits: this.limitsFor(),
      // What a write or an operation returns is read like any other read: in the caller's scope.
      scope: this.scope(req),
      callerProperties: this.callerProperties(req),
    });
    const rows: Row[] = await manager.query(plan.sql, plan.parameters);
    return rows[0];
  }

  private entityUrl(req: ODataRequest, type: EdmEntityType, key: Record<string, unknown>): string {
    return `${req.serviceRoot}/${type.setName}(${type.keys.length === 1 ? key[type.keys[0].column] : type.keys.map((k) => `${k.name}=${key[k.column]}`).join(',')})`;
  }

  private writeResponse(
    req: ODataRequest,
    type: EdmEntityType,
    key: Record<string, unknown>,
    row: Row,
    n: Negotiated,
    created: boolean,
  ): ODataResponse {
    const url = this.entityUrl(req, type, key);
    const minimal = n.prefer.get('return') === 'minimal';
    const representation = n.prefer.get('return') === 'representation';
    const headers: Record<string, string> = {};
    if (row.etag) headers.ETag = `W/"${row.etag}"`;
    if (created) headers.Location = url;
    if (minimal || (!created && !representation)) {
      if (minimal || representation)
        headers['Preference-Applied'] = `return=${minimal ? 'minimal' : 'representation'}`;
      headers['OData-EntityId'] = url;
      return { status: 204, headers };
    }
    if (representation) headers['Preference-Applied'] = 'return=representation';
    const res = this.entityResponse(
      req,
      type,
      row,
      { orderby: [], count: false, expand: [] },
      n,
      created ? 201 : 200,
    );
    Object.assign(res.headers, headers);
    return res;
  }

  private async create(
    req: ODataRequest,
    target: Extract<Target, { kind: 'collection' }>,
    n: Negotiated,
  ): Promise<ODataResponse> {
    this.checkWritable(target.type);
    this.checkContentType(req);
    // POST Task(<key>)/Notes: the new note belongs to that task.
    const preset: Record<string, unknown> = {};
    if (target.via) {
      const parentKey = target.via.parent.key;
      if (!parentKey || target.via.nav.join.kind !== 'foreignKey')
        throw new ODataError(
          405,
          ErrorCode.MethodNotAllowed,
          'Create entities through their own entity set or $ref',
        );
      for (const pair of target.via.nav.join.pairs) preset[pair.target] = parentKey[pair.source];
    }
    const values = validateBody(target.type, parseJsonBody(req.body), 'create', preset);
    await this.writeValidators.get(target.type.setName)?.(values, 'create');
    return this.tx(req, async (manager) => {
      if (target.via) await this.ensureExists(manager, target.via.parent, this.scope(req));
      await this.checkWrite(req, target.type, 'create', manager, { after: values });
      await this.checkReferences(req, target.type, manager, { after: values });
      const key = await this.insert(manager, target.type, values);
      if (req.caller) await this.access?.afterCreate?.(target.type, key, req.caller, manager);
      const row = await this.readBack(req, manager, target.type, key, n);
      return this.writeResponse(req, target.type, key, row, n, true);
    });
  }

  private async insert(
    manager: EntityManager,
    type: EdmEntityType,
    values: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    return (await insertRows(manager, type, [values]))[0];
  }

  private async existsAtAll(
    manager: EntityManager,
    type: EdmEntityType,
    key: Record<string, unknown>,
  ): Promise<boolean> {
    const params = new SqlParams();
    const where = keyScope(type, key)('e0', params, new AliasGenerator());
    const rows = await manager
      .createQueryBuilder()
      .select('1', 'x')
      .from(type.table, 'e0')
      .where(where)
      .setParameters(params.values)
      .getRawMany();
    return rows.length > 0;
  }

  /** Locks the row (if the caller may see it) and checks If-Match; returns it, or undefined when absent. */
  private async lockAndCheck(
    req: ODataRequest,
    manager: EntityManager,
    target: EntityTarget,
  ): Promise<Record<string, unknown> | undefined> {
    const type = target.type;
    const params = new SqlParams();
    const aliases = new AliasGenerator();
    const visible = this.scope(req)?.(type, 'e0', params, aliases);
    const qb = manager
      .createQueryBuilder()
      .select('e0.*')
      .from(type.table, 'e0')
      .where(
        [...target.scopes.map((s) => s('e0', params, aliases)), ...(visible ? [visible] : [])].join(' AND '),
      )
      .setParameters(params.values)
      .setLock('pessimistic_write');
    if (type.etagColumn) qb.addSelect(`CAST(e0.${ident(type.etagColumn)} AS text)`, '__etag');
    const rows = await qb.getRawMany();
    const ifMatch = req.headers['if-match'];
    if (rows.length === 0) {
      if (ifMatch) throw ODataError.notFound(`${type.setName} not found`);
      return undefined;
    }
    if (ifMatch && type.etagColumn && !matchesEtag(ifMatch, `W/"${rows[0].__etag}"`)) {
      throw new ODataError(
        412,
        ErrorCode.PreconditionFailed,
        'The entity was changed since it was read (ETag mismatch)',
      );
    }
    return rows[0];
  }

  private async update(
    req: ODataRequest,
    target: EntityTarget,
    n: Negotiated,
    mode: 'update' | 'replace',
  ): Promise<ODataResponse> {
    this.checkWritable(target.type);
    this.checkContentType(req);
    if (!target.key)
      throw new ODataError(405, ErrorCode.MethodNotAllowed, 'Update the entity through its own URL');
    const type = target.type;
    const key = target.key;
    const body = parseJsonBody(req.body);
    return this.tx(req, async (manager) => {
      const before = await this.lockAndCheck(req, manager, target);
      if (!before) {
        // Upsert: PATCH/PUT to an absent key creates it (If-Match prevents that, see above).
        // A key that exists but is out of the caller's sight is "not found", never a second row.
        if (await this.existsAtAll(manager, type, key))
          throw ODataError.notFound(`${type.setName} not found`);
        const values = validateBody(type, body, 'create');
        await this.writeValidators.get(type.setName)?.(values, 'create');
        Object.assign(values, key);
        await this.checkWrite(req, type, 'create', manager, { after: values });
        await this.checkReferences(req, type, manager, { after: values });
        await this.insert(manager, type, values);
        if (req.caller) await this.access?.afterCreate?.(type, key, req.caller, manager);
        const row = await this.readBack(req, manager, type, key, n);
        return this.writeResponse(req, type, key, row, n, true);
      }
      const values = validateBody(type, body, mode);
      await this.writeValidators.get(type.setName)?.(values, mode);
      await this.checkWrite(req, type, 'update', manager, { before, after: values });
      if (mode === 'replace') {
        // PUT: properties not given return to their defaults.
        for (const p of type.properties) {
          if (p.computed || p.isKey || p.immutable || p.column in values) continue;
          values[p.column] = p.nullable ? null : () => 'DEFAULT';
        }
      }
      await this.checkReferences(req, type, manager, { before, after: values });
      if (Object.keys(values).length) {
        const params = new SqlParams();
        const where = keyScope(type, key)(ident(type.table), params, new AliasGenerator());
        await manager
          .createQueryBuilder()
          .update(type.table)
          .set(values)
          .where(where)
          .setParameters(params.values)
          .execute();
      }
      const row = await this.readBack(req, manager, type, key, n);
      return this.writeResponse(req, type, key, row, n, false);
    });
  }

  private async remove(req: ODataRequest, target: EntityTarget): Promise<ODataResponse> {
    this.checkWritable(target.type);
    if (!target.key)
      throw new ODataError(405, ErrorCode.MethodNotAllowed, 'Delete the entity through its own URL');
    return this.tx(req, async (manager) => {
      const before = await this.lockAndCheck(req, manager, target);
      if (!before) throw ODataError.notFound(`${target.type.setName} not found`);
      await this.checkWrite(req, target.type, 'delete', manager, { before });
      const params = new SqlParams();
      const where = keyScope(target.type, target.key!)(
        ident(target.type.table),
        params,
        new AliasGenerator(),
      );
      await manager
        .createQueryBuilder()
        .delete()
        .from(target.type.table)
        .where(where)
        .setParameters(params.values)
        .execute();
      return { status: 204, headers: {} };
    });
  }
}

/** If-Match / If-None-Match: `*` or a list of ETags; weak comparison as the standard allows for OData. */
export function matchesEtag(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => strip(t) === strip(etag));
}

function nextQueryString(search: string, skiptoken: string): string {
  const kept = search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p && !/^\$?(skip|skiptoken)=/i.test(p));
  kept.push(`$skiptoken=${skiptoken}`);
  return kept.join('&');
}
