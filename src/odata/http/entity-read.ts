import type { EntityManager } from 'typeorm';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType } from '../model/edm-model';
import type { ODataQuery } from '../query/odata-query';
import { JSON_CONTENT_TYPE, entityContext, withLeadingAnnotations } from '../serialize/json-format';
import { matchesEtag, weakEtag } from './etag';
import type { Negotiated } from './negotiation';
import type { ODataCore, RequestContext, Row } from './odata-core';
import type { ODataRequest, ODataResponse } from './odata-request';
import type { EntityTarget } from './resolve-target';

/** GET Task(<key>), Task(<key>)/Status: one entity, with $select/$expand, its ETag, 304 on If-None-Match. */
export async function readEntity(
  core: ODataCore,
  manager: EntityManager,
  target: EntityTarget,
  { req, query, n }: RequestContext,
): Promise<ODataResponse> {
  // $filter on a single entity is allowed by 4.01 but unusual; the others make no sense here
  if (query.orderby.length || query.top !== undefined || query.skip !== undefined) {
    throw ODataError.badRequest(
      '$orderby, $top and $skip apply to collections only',
      undefined,
      ErrorCode.BadQueryOption,
    );
  }
  if (target.via && !target.key) await core.ensureExists(req, manager, target.via.parent);
  const plan = core.planSelect({
    model: core.model,
    type: target.type,
    query: core.bind(target.type, query),
    metadata: n.metadata,
    scopes: target.scopes,
    pageSize: 1,
    single: true,
    scope: core.scope(req),
    callerProperties: core.callerProperties(req),
  });
  const rows = await core.run(manager, plan);
  if (rows.length === 0) {
    if (target.via && !target.key && !target.via.nav.collection) return { status: 204, headers: {} };
    throw ODataError.notFound(`${target.type.setName} not found`);
  }
  return entityResponse(req, target.type, rows[0], query, n, 200);
}

/** Frames one entity row: context URL, ETag header; 304 when a GET's If-None-Match matches. */
export function entityResponse(
  req: ODataRequest,
  type: EdmEntityType,
  row: Row,
  query: ODataQuery,
  n: Negotiated,
  status: number,
): ODataResponse {
  const etag = row.etag ? weakEtag(row.etag) : undefined;
  const headers: Record<string, string> = { 'Content-Type': JSON_CONTENT_TYPE(n) };
  if (etag) headers.ETag = etag;
  const ifNoneMatch = req.headers['if-none-match'];
  if (etag && ifNoneMatch && matchesEtag(ifNoneMatch, etag) && req.method === 'GET') {
    return { status: 304, headers: { ETag: etag } };
  }
  const annotations =
    n.metadata === 'none' ? {} : { '@odata.context': entityContext(req.serviceRoot, type, query) };
  return { status, headers, body: withLeadingAnnotations(row.j, annotations) };
}
