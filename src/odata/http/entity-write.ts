import type { EntityManager } from 'typeorm';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType } from '../model/edm-model';
import { deleteRow, rowExists, updateRow } from '../sql/entity-rows';
import { insertRows } from '../write/entity-writer';
import { parseJsonBody, validateBody } from '../write/validate-body';
import { entityId } from './entity-id';
import { entityResponse } from './entity-read';
import { weakEtag } from './etag';
import { noQuery, type ODataCore, type RequestContext, type Row } from './odata-core';
import type { ODataResponse } from './odata-request';
import type { EntityTarget, Target } from './resolve-target';
import {
  checkContentType,
  checkWritable,
  checkWrite,
  checkWriteReferences,
  lockAndCheck,
} from './write-guards';

/**
 * POST Task, POST Task(<key>)/Notes: validates the body, checks the policy and the references,
 * inserts, and answers the entity as the caller reads it (201, Location).
 */
export async function createEntity(
  core: ODataCore,
  target: Extract<Target, { kind: 'collection' }>,
  ctx: RequestContext,
): Promise<ODataResponse> {
  const { req } = ctx;
  checkWritable(target.type);
  checkContentType(req);
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
  await core.extensions.validateWrite(target.type.setName, values, 'create');
  return core.tx(req, async (manager) => {
    if (target.via) await core.ensureExists(req, manager, target.via.parent);
    return insertAndAnswer(core, manager, target.type, values, ctx);
  });
}

async function insertAndAnswer(
  core: ODataCore,
  manager: EntityManager,
  type: EdmEntityType,
  values: Record<string, unknown>,
  ctx: RequestContext,
): Promise<ODataResponse> {
  const { req } = ctx;
  await checkWrite(core, req, type, 'create', manager, { after: values });
  await checkWriteReferences(core, req, type, manager, { after: values });
  const prepared = core.limits.preparedStatements !== false;
  const key = (await insertRows(manager, type, [values], prepared))[0];
  if (req.caller) await core.access.afterCreate?.(type, key, req.caller, manager);
  return writeResponse(core, manager, type, key, ctx, true);
}

/**
 * PATCH/PUT Task(<key>): locks the row, checks If-Match, the policy and the references, and
 * updates it; PUT resets what it does not give. To an absent key they create it (upsert).
 */
export async function updateEntity(
  core: ODataCore,
  target: EntityTarget,
  ctx: RequestContext,
  mode: 'update' | 'replace',
): Promise<ODataResponse> {
  const { req } = ctx;
  checkWritable(target.type);
  checkContentType(req);
  if (!target.key)
    throw new ODataError(405, ErrorCode.MethodNotAllowed, 'Update the entity through its own URL');
  const type = target.type;
  const key = target.key;
  const body = parseJsonBody(req.body);
  return core.tx(req, async (manager) => {
    const before = await lockAndCheck(core, req, manager, target);
    if (!before) {
      // Upsert: PATCH/PUT to an absent key creates it (If-Match prevents that, see lockAndCheck).
      // A key that exists but is out of the caller's sight is "not found", never a second row.
      if (await rowExists(manager, type, key)) throw ODataError.notFound(`${type.setName} not found`);
      const values = validateBody(type, body, 'create');
      await core.extensions.validateWrite(type.setName, values, 'create');
      Object.assign(values, key);
      return insertAndAnswer(core, manager, type, values, ctx);
    }
    const values = validateBody(type, body, mode);
    await core.extensions.validateWrite(type.setName, values, mode);
    await checkWrite(core, req, type, 'update', manager, { before, after: values });
    if (mode === 'replace') {
      // PUT: properties not given return to their defaults.
      for (const p of type.properties) {
        if (p.computed || p.isKey || p.immutable || p.column in values) continue;
        values[p.column] = p.nullable ? null : () => 'DEFAULT';
      }
    }
    await checkWriteReferences(core, req, type, manager, { before, after: values });
    const etag = Object.keys(values).length
      ? await updateRow(manager, type, key, values)
      : (before.__etag as string | undefined);
    return writeResponse(core, manager, type, key, ctx, false, etag);
  });
}

/** DELETE Task(<key>): locks the row, checks If-Match and the policy, deletes it (204). */
export async function deleteEntity(
  core: ODataCore,
  target: EntityTarget,
  { req }: RequestContext,
): Promise<ODataResponse> {
  checkWritable(target.type);
  const key = target.key;
  if (!key) throw new ODataError(405, ErrorCode.MethodNotAllowed, 'Delete the entity through its own URL');
  return core.tx(req, async (manager) => {
    const before = await lockAndCheck(core, req, manager, target);
    if (!before) throw ODataError.notFound(`${target.type.setName} not found`);
    await checkWrite(core, req, target.type, 'delete', manager, { before });
    await deleteRow(manager, target.type, key);
    return { status: 204, headers: {} };
  });
}

/**
 * What a write answers: the entity as the caller now reads it (201 created, 200 with
 * Prefer: return=representation), or 204 with OData-EntityId (updates, return=minimal). A 204
 * whose ETag the write already knows (an UPDATE returns it) reads nothing back.
 */
async function writeResponse(
  core: ODataCore,
  manager: EntityManager,
  type: EdmEntityType,
  key: Record<string, unknown>,
  { req, n }: RequestContext,
  created: boolean,
  knownEtag?: string,
): Promise<ODataResponse> {
  const url = entityId(req.serviceRoot, type, key);
  const minimal = n.prefer.get('return') === 'minimal';
  const representation = n.prefer.get('return') === 'representation';
  const noContent = minimal || (!created && !representation);
  const row =
    noContent && (knownEtag !== undefined || !type.etagColumn)
      ? { etag: knownEtag }
      : await core.readBack(req, manager, type, key, n);
  const headers: Record<string, string> = {};
  if (row?.etag) headers.ETag = weakEtag(row.etag);
  if (created) headers.Location = url;
  if (noContent) {
    if (minimal || representation)
      headers['Preference-Applied'] = `return=${minimal ? 'minimal' : 'representation'}`;
    headers['OData-EntityId'] = url;
    return { status: 204, headers };
  }
  if (representation) headers['Preference-Applied'] = 'return=representation';
  const res = entityResponse(req, type, row as Row, noQuery(), n, created ? 201 : 200);
  Object.assign(res.headers, headers);
  return res;
}
