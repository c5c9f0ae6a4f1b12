import type { EntityManager } from 'typeorm';
import { ODataError } from '../errors/odata-error';
import { JSON_CONTENT_TYPE } from '../serialize/json-format';
import { selectPropertyValue } from '../sql/entity-rows';
import { entityPath } from './entity-id';
import type { ODataCore, RequestContext } from './odata-core';
import type { ODataResponse } from './odata-request';
import type { Target } from './resolve-target';

/**
 * GET Task(<key>)/Name           -> {"@odata.context":"…/$metadata#Task(<key>)/Name","value":"…"}
 * GET Task(<key>)/Name/$value    -> the bare value as text/plain
 * A null value answers 204 either way.
 */
export async function readProperty(
  core: ODataCore,
  manager: EntityManager,
  target: Extract<Target, { kind: 'property' | 'value' }>,
  { req, n }: RequestContext,
): Promise<ODataResponse> {
  const prop = target.kind === 'property' ? target : target.of;
  const { entity, property } = prop;
  const found = await selectPropertyValue(manager, entity.type, entity.scopes, core.scope(req), property);
  if (!found) throw ODataError.notFound(`${entity.type.setName} not found`);
  const { value } = found;
  if (value === null) return { status: 204, headers: {} };
  if (target.kind === 'value') {
    return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: String(value) };
  }
  const path = entity.key ? entityPath(entity.type, entity.key) : `${entity.type.setName}()`;
  return {
    status: 200,
    headers: { 'Content-Type': JSON_CONTENT_TYPE(n) },
    body: JSON.stringify({
      '@odata.context': `${req.serviceRoot}/$metadata#${path}/${property.name}`,
      value,
    }),
  };
}
