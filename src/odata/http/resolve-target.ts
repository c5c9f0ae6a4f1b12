import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType, EdmModel, EdmNavigation, EdmProperty } from '../model/edm-model';
import type { Expr } from '../query/odata-query';
import type { RowScope } from '../sql/build-select';
import type { ReadScope } from '../access/access-policy';
import { keyScope, navigationScope } from '../sql/row-scopes';
import { compat } from '../compat';
import type { PathSegment } from '../uri/parse-resource-path';
import { checkValue } from '../write/validate-body';

/** What a resource path addresses, resolved against the model. */
export type Target =
  | {
      kind: 'collection';
      type: EdmEntityType;
      scopes: RowScope[];
      via?: { parent: EntityTarget; nav: EdmNavigation };
    }
  | EntityTarget
  | { kind: 'property'; entity: EntityTarget; property: EdmProperty }
  | { kind: 'count'; of: Extract<Target, { kind: 'collection' }> }
  | { kind: 'value'; of: Extract<Target, { kind: 'property' }> }
  | { kind: 'ref'; of: Extract<Target, { kind: 'collection' }> | EntityTarget }
  | {
      kind: 'operation';
      name: string;
      segment: PathSegment;
      bound?: Extract<Target, { kind: 'collection' }> | EntityTarget;
    };

export interface EntityTarget {
  kind: 'entity';
  type: EdmEntityType;
  scopes: RowScope[];
  /** Key values by column, when addressed by key. */
  key?: Record<string, unknown>;
  via?: { parent: EntityTarget; nav: EdmNavigation };
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function keyValue(p: EdmProperty, e: Expr, setName: string): unknown {
  if (e.kind !== 'literal' || e.value === null)
    throw ODataError.badRequest(`The key of ${setName} must be a literal`, setName, ErrorCode.BadKey);
  // Task(<guid>) is standard; Task('<guid>') only through the compatibility hook.
  const quoted = e.type === 'string' && p.type === 'Edm.Guid';
  const raw = e.value;
  if (
    p.type === 'Edm.Guid' &&
    ((quoted && !compat.acceptsQuotedGuidKey(p.type, e.type)) || !(typeof raw === 'string' && GUID.test(raw)))
  ) {
    throw ODataError.badRequest(
      `'${e.value}' is not a valid key for ${setName}: expected a Guid`,
      setName,
      ErrorCode.BadKey,
    );
  }
  const checked = checkValue(p.type, raw);
  if (!checked.ok)
    throw ODataError.badRequest(`Invalid key for ${setName}: ${checked.message}`, setName, ErrorCode.BadKey);
  return checked.value;
}

export function parseKey(type: EdmEntityType, segment: PathSegment): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  if (segment.keys && segment.keys.length === 1 && type.keys.length === 1 && !segment.named) {
    key[type.keys[0].column] = keyValue(type.keys[0], segment.keys[0], type.setName);
    return key;
  }
  if (segment.named && !segment.keys) {
    for (const k of type.keys) {
      const v = segment.named[k.name];
      if (!v || 'alias' in v)
        throw ODataError.badRequest(
          `Key property ${k.name} is missing for ${type.setName}`,
          type.setName,
          ErrorCode.BadKey,
        );
      key[k.column] = keyValue(k, v, type.setName);
    }
    if (Object.keys(segment.named).length !== type.keys.length)
      throw ODataError.badRequest(`Unknown key property for ${type.setName}`, type.setName, ErrorCode.BadKey);
    return key;
  }
  throw ODataError.badRequest(`Malformed key for ${type.setName}`, type.setName, ErrorCode.BadKey);
}

/**
 * `access` is asked when the target's SQL is written, not now: a request's target is resolved
 * once, at admission, before its caller is known (odata-request-handler.ts targetOf).
 */
export function resolveTarget(
  model: EdmModel,
  segments: PathSegment[],
  access?: () => ReadScope | undefined,
): Target {
  const scope: ReadScope | undefined =
    access && ((type, alias, p, aliases) => access()?.(type, alias, p, aliases));
  const [first, ...rest] = segments;
  const set = model.sets.get(first.name);
  if (!set) {
    throw new ODataError(
      404,
      ErrorCode.UnknownResource,
      `'${first.name}' is not an entity set of this service`,
      first.name,
    );
  }
  let target: Target;
  if (first.call && (first.keys || first.named)) {
    const key = parseKey(set, first);
    target = { kind: 'entity', type: set, scopes: [keyScope(set, key)], key };
  } else if (first.call) {
    throw ODataError.badRequest(`Malformed key for ${set.setName}`, set.setName, ErrorCode.BadKey);
  } else {
    target = { kind: 'collection', type: set, scopes: [] };
  }

  for (let i = 0; i < rest.length; i++) {
    const seg = rest[i];
    const isLast = i === rest.length - 1;
    if (seg.name === '$count' && target.kind === 'collection' && isLast) return { kind: 'count', of: target };
    if (seg.name === '$filter' || seg.name === '$each' || seg.name === '$all') {
      throw ODataError.notImplemented(
        `The ${seg.name} path segment is not supported; use the $filter query option`,
      );
    }
    if (seg.name === '$ref' && (target.kind === 'collection' || target.kind === 'entity') && isLast)
      return { kind: 'ref', of: target };
    if (seg.name === '$value' && target.kind === 'property' && isLast) return { kind: 'value', of: target };

    if (target.kind === 'collection' && (seg.keys || seg.named) && !seg.name) {
      // Notes(<key>) written as a separate segment is not valid OData; keys follow the name.
      throw ODataError.badRequest('Malformed key segment', seg.name, ErrorCode.BadKey);
    }
    if (target.kind === 'entity') {
      const property = target.type.property.get(seg.name);
      if (property && !seg.call) {
        target = { kind: 'property', entity: target, property };
        continue;
      }
      const nav: EdmNavigation | undefined = target.type.navigation.get(seg.name);
      if (nav) {
        const parent: EntityTarget = target;
        const type: EdmEntityType = model.types.get(nav.target)!;
        const via: EntityTarget['via'] = { parent, nav };
        const scopes: RowScope[] = [navigationScope(parent, nav, scope)];
        if (seg.call && (seg.keys || seg.named)) {
          if (!nav.collection)
            throw ODataError.badRequest(
              `${nav.name} is single-valued and takes no key`,
              seg.name,
              ErrorCode.BadKey,
            );
          const key = parseKey(type, seg);
          target = { kind: 'entity', type, scopes: [...scopes, keyScope(type, key)], key, via };
        } else if (nav.collection) {
          target = { kind: 'collection', type, scopes, via };
        } else {
          target = { kind: 'entity', type, scopes, via };
        }
        continue;
      }
    }
    if ((target.kind === 'entity' || target.kind === 'collection') && isLast) {
      return { kind: 'operation', name: seg.name, segment: seg, bound: target };
    }
    throw new ODataError(
      404,
      ErrorCode.UnknownResource,
      `'${seg.name}' is not a property, navigation or operation of ${'type' in target ? (target as any).type.name : 'this resource'}`,
      seg.name,
    );
  }
  return target;
}
