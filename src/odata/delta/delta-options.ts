import { ODataError } from '../errors/odata-error';
import type { EdmEntityType } from '../model/edm-model';
import type { Expr, ODataQuery } from '../query/odata-query';

const refuse = (what: string) =>
  ODataError.notImplemented(`Change tracking (Prefer: odata.track-changes, delta links) ${what}`);

/**
 * What a tracked query may contain. A delta is an unordered set of changes (Protocol 11.3), so
 * options that order, cut or reshape the set have no delta; related entities ($expand, or a
 * $filter reaching through a navigation property) change without a change to the tracked row,
 * and nested deltas are not implemented.
 */
export function checkTrackedOptions(type: EdmEntityType, query: ODataQuery): void {
  if (query.orderby.length) throw refuse('does not support $orderby: a delta is unordered');
  if (query.top !== undefined || query.skip !== undefined)
    throw refuse('does not support $top or $skip: follow @odata.nextLink to page');
  if (query.apply) throw refuse('does not support $apply');
  if (query.compute) throw refuse('does not support $compute');
  if (query.search) throw refuse('does not support $search');
  if (query.expand.length)
    throw refuse('does not support $expand: nested changes of related entities are not implemented');
  if (query.filter && reachesRelated(type, query.filter))
    throw refuse(
      'does not support a $filter over navigation properties: changes of related entities are not tracked',
    );
}

/** Does the filter read another entity than the row itself (a navigation path, $root)? */
function reachesRelated(type: EdmEntityType, e: Expr): boolean {
  const nav = (path: string[], scope?: string) =>
    scope === '$root' || ((!scope || scope === '$it') && type.navigation.has(path[0]));
  switch (e.kind) {
    case 'literal':
      return false;
    case 'member':
      return nav(e.path, e.scope);
    case 'binary':
      return reachesRelated(type, e.left) || reachesRelated(type, e.right);
    case 'not':
    case 'negate':
    case 'cast':
    case 'isof':
      return reachesRelated(type, e.operand);
    case 'in':
      return reachesRelated(type, e.left) || e.list.some((x) => reachesRelated(type, x));
    case 'call':
      return e.args.some((x) => reachesRelated(type, x));
    case 'lambda':
      return nav(e.path, e.scope) || (!!e.predicate && reachesRelated(type, e.predicate));
    case 'count':
      return nav(e.path, e.scope) || (!!e.filter && reachesRelated(type, e.filter));
  }
}
