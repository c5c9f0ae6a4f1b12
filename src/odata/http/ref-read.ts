import type { EntityManager } from 'typeorm';
import { ODataError } from '../errors/odata-error';
import { JSON_CONTENT_TYPE } from '../serialize/json-format';
import { entityId, keyOfEntity } from './entity-id';
import type { ODataCore, RequestContext } from './odata-core';
import type { ODataResponse } from './odata-request';
import type { Target } from './resolve-target';

/**
 * GET Task(<key>)/Notes/$ref -> {"@odata.context":"…#Collection($ref)","value":[{"@odata.id":"…/TaskItemNote(…)"}]}
 * GET Task(<key>)/Status/$ref -> {"@odata.context":"…#$ref","@odata.id":"…/TaskStatus(…)"}
 */
export async function readRefs(
  core: ODataCore,
  manager: EntityManager,
  target: Extract<Target, { kind: 'ref' }>,
  { req, n }: RequestContext,
): Promise<ODataResponse> {
  const of = target.of;
  const keysOnly = { orderby: [], count: false, expand: [], select: of.type.keys.map((k) => k.name) };
  const plan = core.planSelect({
    model: core.model,
    type: of.type,
    query: core.bind(of.type, keysOnly),
    metadata: 'none',
    scopes: of.scopes,
    pageSize: core.limits.maxPageSize,
    single: of.kind === 'entity',
    scope: core.scope(req),
  });
  const rows = await core.run(manager, plan);
  const ids = rows
    .slice(0, plan.pageSize)
    .map((r) => entityId(req.serviceRoot, of.type, keyOfEntity(of.type, JSON.parse(r.j))));
  const json = (body: unknown): ODataResponse => ({
    status: 200,
    headers: { 'Content-Type': JSON_CONTENT_TYPE(n) },
    body: JSON.stringify(body),
  });
  if (of.kind === 'entity') {
    if (!ids.length) throw ODataError.notFound(`${of.type.setName} not found`);
    return json({ '@odata.context': `${req.serviceRoot}/$metadata#$ref`, '@odata.id': ids[0] });
  }
  return json({
    '@odata.context': `${req.serviceRoot}/$metadata#Collection($ref)`,
    value: ids.map((id) => ({ '@odata.id': id })),
  });
}
