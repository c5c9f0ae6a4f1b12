import type { EntityManager } from 'typeorm';
import type { WriteKind } from '../access/access-policy';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType } from '../model/edm-model';
import { selectVisibleRows } from '../sql/entity-rows';
import { checkReferences, referenceContext, ReferenceChange } from '../write/check-references';
import { matchesEtag, weakEtag } from './etag';
import type { ODataCore } from './odata-core';
import type { ODataRequest } from './odata-request';
import type { EntityTarget } from './resolve-target';

/** What every write checks before it touches a row: the set is writable, the body is JSON. */
export function checkWritable(type: EdmEntityType): void {
  if (type.readOnly)
    throw new ODataError(405, ErrorCode.ReadOnly, `${type.setName} is read-only`, type.setName, undefined, {
      Allow: 'GET',
    });
}

export function checkContentType(req: ODataRequest): void {
  const ct = (req.headers['content-type'] ?? 'application/json').toLowerCase();
  if (!ct.startsWith('application/json')) {
    throw new ODataError(
      415,
      ErrorCode.UnsupportedMediaType,
      `Content-Type ${ct} is not supported; send application/json`,
    );
  }
}

/**
 * Locks the addressed row (if the caller may see it) and checks If-Match; returns it (values by
 * column), or undefined when absent. With If-Match an absent row is a 404: no upsert.
 */
export async function lockAndCheck(
  core: ODataCore,
  req: ODataRequest,
  manager: EntityManager,
  target: EntityTarget,
): Promise<Record<string, unknown> | undefined> {
  const type = target.type;
  const rows = await selectVisibleRows(manager, type, target.scopes, core.scope(req), {
    lock: true,
    prepared: core.limits.preparedStatements !== false,
  });
  const ifMatch = req.headers['if-match'];
  if (rows.length === 0) {
    if (ifMatch) throw ODataError.notFound(`${type.setName} not found`);
    return undefined;
  }
  if (ifMatch && type.etagColumn && !matchesEtag(ifMatch, weakEtag(String(rows[0].__etag)))) {
    throw new ODataError(
      412,
      ErrorCode.PreconditionFailed,
      'The entity was changed since it was read (ETag mismatch)',
    );
  }
  return rows[0];
}

/** The access policy's verdict on a write (values by column); no caller, no check. */
export async function checkWrite(
  core: ODataCore,
  req: ODataRequest,
  type: EdmEntityType,
  kind: WriteKind,
  manager: EntityManager,
  row: { before?: Record<string, unknown>; after?: Record<string, unknown> },
): Promise<void> {
  if (req.caller) await core.access.checkWrite(type, kind, req.caller, manager, row);
}

/** Every foreign key the write sets must point at a row the caller can see, consistent with the row. */
export function checkWriteReferences(
  core: ODataCore,
  req: ODataRequest,
  type: EdmEntityType,
  manager: EntityManager,
  change: ReferenceChange,
): Promise<void> {
  const prepared = core.limits.preparedStatements !== false;
  const ctx = referenceContext(manager, core.model, core.access, req.caller, prepared);
  return checkReferences(ctx, type, [change]);
}
