import type { EntityManager } from 'typeorm';
import { BatchRunner } from '../batch/run-batch';
import { DeltaTracking, trackedRequest } from '../delta/delta-tracking';
import { pageSizeOf } from './next-link';
import { asPlainRead } from '../sql/apply-to-sql';
import { ODataError, fromStackOverflow } from '../errors/odata-error';
import { fromPostgresError } from '../errors/postgres-errors';
import type { OperationRegistry } from '../operations/operation-registry';
import { ParsedRequest, parseRequest } from '../uri/parse-request';
import { checkJsonDepth } from '../write/json-limits';
import type { AdmissionGate, WorkLane } from './admission';
import { checkMethod } from './allowed-methods';
import { readCollection, readCount } from './collection-read';
import { createEntity, deleteEntity, updateEntity } from './entity-write';
import { readEntity } from './entity-read';
import { errorResponse } from './error-response';
import { Negotiated, negotiate, requireJson } from './negotiation';
import type { ODataCore, RequestContext } from './odata-core';
import type { ODataRequest, ODataResponse } from './odata-request';
import { callOperation } from './operation-response';
import { readProperty } from './property-read';
import { readRefs } from './ref-read';
import { EntityTarget, Target, resolveTarget } from './resolve-target';
import { ServiceDocuments } from './service-documents';
import { workLaneOf } from './work-lane';
import type { ReadRoute } from './consistency';
import type { ReadScope } from '../access/access-policy';

export type { ODataLimits } from './odata-core';

/**
 * Routes one OData request (HTTP or a $batch part) to the module for its kind:
 *
 *   /, /$metadata                   service-documents.ts
 *   /$batch                         batch/run-batch.ts (each part comes back here)
 *   GET Task, Task(1)/Notes         collection-read.ts ($apply: apply-read.ts), $count too
 *   GET Task(1), Task(1)/Status     entity-read.ts
 *   GET Task(1)/Name[/$value]       property-read.ts
 *   GET …/$ref                      ref-read.ts
 *   POST/PATCH/PUT/DELETE           entity-write.ts
 *   …/Tasks.MoveTaskItem            operation-response.ts
 *
 * Knows nothing of tasks: everything it needs comes from the EdmModel and the providers
 * features add (odata-extensions.ts, the ACCESS_POLICY).
 */
export class ODataRequestHandler {
  private readonly batch: BatchRunner;
  private readonly documents: ServiceDocuments;
  /** Change tracking: tracked reads and delta links (src/odata/delta). */
  private readonly delta: DeltaTracking;
  /** constraint name -> OData property, for foreign-key errors that name what the client sent */
  private readonly constraintTargets = new Map<string, string>();
  private readonly targets = new WeakMap<ParsedRequest, { target: Target; holder: { scope?: ReadScope } }>();

  constructor(
    private readonly core: ODataCore,
    private readonly operations: OperationRegistry,
    /**
     * Admission to the database for requests arriving over HTTP (fastify-binding.ts takes a slot
     * before a request runs); $batch parts run inside their batch's slot.
     */
    readonly admission?: AdmissionGate,
  ) {
    this.batch = new BatchRunner(core.dataSource, (req) => this.handle(req), {
      maxRequests: core.limits.maxBatchRequests,
    });
    this.documents = new ServiceDocuments(core);
    this.delta = new DeltaTracking(core.dataSource, () => core.extensions.changeLog);
    for (const m of core.dataSource.entityMetadatas) {
      for (const fk of m.foreignKeys) {
        if (fk.name) fk.columnNames.forEach((c) => this.constraintTargets.set(fk.name!, c));
      }
    }
  }

  get model() {
    return this.core.model;
  }

  /** Set once at start when replicas are configured (database/scale-setup.ts). */
  set readRoute(route: ReadRoute | undefined) {
    this.core.readRoute = route;
  }

  /** A write is being answered: pages read ahead before it may not show it (page-prefetch.ts). */
  dropReadAhead(): void {
    this.core.prefetch.dropAll();
  }

  /** The request's URL, parsed once (fastify-binding.ts parses it for admission and passes it on). */
  parse(req: Pick<ODataRequest, 'path' | 'search'>): ParsedRequest {
    return parseRequest(req.path, req.search, this.core.inputLimits);
  }

  /** The admission lane of an HTTP request: long for $batch and large pages (work-lane.ts). */
  laneOf(req: Pick<ODataRequest, 'method' | 'path' | 'search' | 'headers' | 'parsed'>): WorkLane {
    const targetOf = (parsed: ParsedRequest) => this.targetOf(parsed);
    return workLaneOf(req, req.parsed ?? this.parse(req), this.core.limits.maxPageSize, targetOf);
  }

  /**
   * The request's target, resolved once: admission resolves it before the caller is known, the
   * read uses it with the caller's read scope (asked when its SQL is written).
   */
  private targetOf(parsed: ParsedRequest, scope?: ReadScope): Target {
    let found = this.targets.get(parsed);
    if (!found) {
      const holder: { scope?: ReadScope } = {};
      found = { target: resolveTarget(this.model, parsed.segments(), () => holder.scope), holder };
      this.targets.set(parsed, found);
    }
    found.holder.scope = scope;
    return found.target;
  }

  async handle(req: ODataRequest): Promise<ODataResponse> {
    let negotiated: Negotiated | undefined;
    try {
      const parsed = req.parsed ?? this.parse(req);
      const query = parsed.query();
      negotiated = negotiate(req.headers, query.format);
      this.checkBody(req);
      const response = await this.route({ req, parsed, query, n: negotiated });
      response.headers['OData-Version'] ??= negotiated.version;
      return response;
    } catch (e) {
      return this.errorResponse(e, negotiated?.version ?? '4.0');
    }
  }

  /** A JSON body nested beyond the limit is refused before JSON.parse (and the recursion that follows it). */
  private checkBody(req: ODataRequest): void {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    const max = this.core.limits.maxJsonDepth;
    if (req.body && max && (type === '' || type.includes('json'))) checkJsonDepth(req.body, max);
  }

  errorResponse(e: unknown, version = '4.0'): ODataResponse {
    const error =
      e instanceof ODataError
        ? e
        : (fromStackOverflow(e) ?? fromPostgresError(e, (c) => this.constraintTargets.get(c)));
    if (!error) throw e; // not the client's fault: the exception filter logs it and answers 500
    return errorResponse(error, version);
  }

  private async route(ctx: RequestContext): Promise<ODataResponse> {
    const { req, parsed, n } = ctx;
    const path = parsed.path;
    const method = req.method.toUpperCase();
    if (path === '') {
      checkMethod(method, 'service', 'the service document');
      requireJson(n);
      return this.documents.serviceDocument(req, n);
    }
    if (path === '/$metadata') {
      checkMethod(method, 'metadata', '$metadata');
      return this.documents.metadata(req, n);
    }
    if (path === '/$batch') {
      // A nested $batch would escape ODATA_MAX_BATCH_REQUESTS (each level may hold that many).
      if (req.transaction || req.inBatch) {
        throw ODataError.badRequest('A $batch cannot contain another $batch', '$batch');
      }
      return this.batch.run(req);
    }
    const target = this.targetOf(parsed, this.core.scope(req));
    // $count and $value are text/plain; everything else here answers OData JSON.
    if (target.kind !== 'count' && target.kind !== 'value') requireJson(n);
    if (target.kind === 'operation') return callOperation(this.core, this.operations, target, ctx);

    checkMethod(method, target, 'type' in target ? target.type.setName : 'this resource');
    switch (method) {
      case 'POST':
        return createEntity(this.core, target as Extract<Target, { kind: 'collection' }>, ctx);
      case 'PATCH':
      case 'MERGE':
        return updateEntity(this.core, target as EntityTarget, ctx, 'update');
      case 'PUT':
        return updateEntity(this.core, target as EntityTarget, ctx, 'replace');
      case 'DELETE':
        return deleteEntity(this.core, target as EntityTarget, ctx);
      default:
        if (this.delta.wanted(target, ctx.query, ctx.n)) return this.readTracked(target, ctx);
        return this.core.reading(req, (manager) => this.read(manager, target, ctx));
    }
  }

  /** A tracked read or a delta link: in its own REPEATABLE READ transaction (delta-tracking.ts). */
  private readTracked(target: Target, ctx: RequestContext): Promise<ODataResponse> {
    const { req, query, n } = ctx;
    const type = 'type' in target ? target.type : undefined;
    return this.delta.read(req, target, query, n, {
      model: this.model,
      scope: this.core.scope(req),
      callerProperties: this.core.callerProperties(req),
      limits: this.core.queryLimits(),
      pageSize: pageSizeOf(n.prefer, this.core.limits.maxPageSize).size,
      type: (m) => this.core.extensions.withDynamic(type!, m),
      read: (m, q) => this.read(m, target, { ...ctx, req: trackedRequest(req, m), query: q }),
    });
  }

  private async read(manager: EntityManager, target: Target, ctx: RequestContext): Promise<ODataResponse> {
    const { extensions } = this.core;
    // $apply=filter(...) alone is the filtered set, read like any other.
    ctx = { ...ctx, query: asPlainRead(ctx.query) };
    // Open types read with their declared dynamic properties as they are now.
    if ((target.kind === 'collection' || target.kind === 'entity') && extensions.hasDynamic(target.type)) {
      target = { ...target, type: await extensions.withDynamic(target.type, manager) } as typeof target;
    } else if (target.kind === 'count' && extensions.hasDynamic(target.of.type)) {
      target = {
        ...target,
        of: { ...target.of, type: await extensions.withDynamic(target.of.type, manager) },
      };
    }
    switch (target.kind) {
      case 'collection':
        return readCollection(this.core, manager, target, ctx);
      case 'entity':
        return readEntity(this.core, manager, target, ctx);
      case 'count':
        return readCount(this.core, manager, target, ctx);
      case 'property':
      case 'value':
        return readProperty(this.core, manager, target, ctx);
      case 'ref':
        return readRefs(this.core, manager, target, ctx);
      default:
        throw ODataError.badRequest('This resource cannot be read');
    }
  }
}
