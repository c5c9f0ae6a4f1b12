import type { EntityManager } from 'typeorm';
import { ErrorCode, ODataError } from '../errors/odata-error';
import { EdmOperation, qualified } from '../model/edm-model';
import type { OperationResult } from '../operations/operation-context';
import type { OperationRegistry } from '../operations/operation-registry';
import { JSON_CONTENT_TYPE } from '../serialize/json-format';
import { keysScope } from '../sql/row-scopes';
import { entityResponse } from './entity-read';
import { keyOfEntity } from './entity-id';
import { noQuery, type ODataCore, type RequestContext } from './odata-core';
import type { ODataResponse } from './odata-request';
import type { Target } from './resolve-target';

/** POST Task(<key>)/Tasks.MoveTaskItem, GET Task(<key>)/Tasks.GetStopwatch(): one transaction, framed result. */
export async function callOperation(
  core: ODataCore,
  operations: OperationRegistry,
  target: Extract<Target, { kind: 'operation' }>,
  ctx: RequestContext,
): Promise<ODataResponse> {
  const response = await core.tx(ctx.req, async (manager) => {
    const called = await operations.invoke({ ...ctx, target, manager });
    return called && operationResponse(core, manager, ctx, called.op, called.result);
  });
  if (response) return response;
  throw new ODataError(
    404,
    ErrorCode.UnknownResource,
    `'${target.name}' is not a property, navigation or operation of ${target.bound?.type.name}`,
    target.name,
  );
}

/** Serialises what an operation returned, with the context URL of its return type. */
async function operationResponse(
  core: ODataCore,
  manager: EntityManager,
  { req, n }: RequestContext,
  op: EdmOperation,
  result: OperationResult,
): Promise<ODataResponse> {
  const json = (body: string): ODataResponse => ({
    status: 200,
    headers: { 'Content-Type': JSON_CONTENT_TYPE(n) },
    body,
  });
  switch (result.kind) {
    case 'none':
      return { status: 204, headers: {} };
    case 'response':
      return result.response;
    case 'entity': {
      const type = core.model.sets.get(result.entitySet)!;
      const row = await core.readBack(req, manager, type, keyOfEntity(type, result.key), n);
      if (!row) throw ODataError.notFound(`${type.setName} not found`);
      return entityResponse(req, type, row, noQuery(), n, 200);
    }
    case 'entities': {
      const type = core.model.sets.get(result.entitySet)!;
      const ids = result.keys.map((key) => key[type.keys[0].name]);
      const plan = core.planSelect({
        model: core.model,
        type,
        query: core.bind(type, noQuery(), { ...core.queryLimits(), maxTop: Number.MAX_SAFE_INTEGER }),
        metadata: n.metadata,
        scopes: [keysScope(type, ids)],
        pageSize: Math.max(ids.length, 1),
        scope: core.scope(req),
        callerProperties: core.callerProperties(req),
      });
      const rows = await core.run(manager, plan);
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
      const typeName = ret ? qualified(core.model, ret.type) : 'Edm.Untyped';
      const context = `${req.serviceRoot}/$metadata#${ret?.collection ? `Collection(${typeName})` : typeName}`;
      const isComplex = ret && !ret.type.startsWith('Edm.') && !ret.collection;
      if (isComplex && result.value && typeof result.value === 'object') {
        const value = result.value as object;
        return json(JSON.stringify(n.metadata === 'none' ? value : { '@odata.context': context, ...value }));
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
