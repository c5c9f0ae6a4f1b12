import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmModel, EdmNavigation, EdmProperty } from '../model/edm-model';
import type { BoundCollection, BoundCompute, NavStep, RangeVariable } from './bound-query';
import type { BindLimits } from './limits';

/** What names in one expression can refer to. */
export interface BindContext {
  model: EdmModel;
  /** $it */
  root: RangeVariable;
  /** Lambda variables in scope. */
  variables: Map<string, RangeVariable>;
  /** $compute aliases usable on $it. */
  compute: Map<string, BoundCompute>;
  limits: BindLimits;
  /** The query option errors name ('$filter', '$orderby', ...). */
  target: string;
}

export interface ResolvedPath {
  range: RangeVariable;
  /** Single-valued navigations walked from the range. */
  navs: NavStep[];
  property?: EdmProperty;
  navigation?: NavStep;
  /** A key of an open type's jsonb column. */
  dynamic?: string;
}

export function startRange(scope: string | undefined, ctx: BindContext): RangeVariable {
  if (!scope || scope === '$it') return ctx.root;
  if (scope === '$root') throw ODataError.notImplemented('$root in expressions is not supported');
  const v = ctx.variables.get(scope);
  if (!v)
    throw ODataError.badRequest(`Unknown lambda variable '${scope}'`, ctx.target, ErrorCode.UnknownProperty);
  return v;
}

function step(model: EdmModel, nav: EdmNavigation): NavStep {
  return { nav, target: model.types.get(nav.target)! };
}

/**
 * Walks a path from its range: single-valued navigations, then a property, a navigation or a
 * dynamic property at the end. Grouped rows ($apply output) name their navigation columns as
 * written (`Project/Name`), so a path is first tried whole.
 */
export function resolvePath(path: string[], scope: string | undefined, ctx: BindContext): ResolvedPath {
  const range = startRange(scope, ctx);
  let type = range.entity;
  const whole = type?.property.get(path.join('/'));
  if (whole && path.length > 1) return { range, navs: [], property: whole };
  const navs: NavStep[] = [];
  for (let i = 0; i < path.length; i++) {
    const name = path[i];
    const isLast = i === path.length - 1;
    if (!type)
      throw ODataError.badRequest(
        `'${name}' cannot follow a primitive value`,
        ctx.target,
        ErrorCode.UnknownProperty,
      );
    const property = type.property.get(name);
    if (property) {
      if (!isLast)
        throw ODataError.badRequest(
          `Property '${name}' has no properties of its own`,
          ctx.target,
          ErrorCode.UnknownProperty,
        );
      return { range, navs, property };
    }
    const navigation = type.navigation.get(name);
    if (navigation) {
      if (isLast) return { range, navs, navigation: step(ctx.model, navigation) };
      if (navigation.collection) {
        throw ODataError.badRequest(
          `'${name}' is a collection; use any(), all() or $count on it`,
          ctx.target,
          ErrorCode.BadQueryOption,
        );
      }
      const s = step(ctx.model, navigation);
      navs.push(s);
      type = s.target;
      continue;
    }
    if (isLast && type.openType && type.dynamicColumn) {
      const key = name.startsWith(type.dynamicPrefix) ? name.slice(type.dynamicPrefix.length) : name;
      return { range, navs, dynamic: key };
    }
    throw ODataError.badRequest(
      `Property '${name}' does not exist on ${type.name}`,
      ctx.target,
      ErrorCode.UnknownProperty,
    );
  }
  return { range, navs };
}

/** A collection-valued path (`Notes`, `Tags`, `Project/Tasks`) and a range over its elements. */
export function resolveCollection(
  path: string[],
  scope: string | undefined,
  variable: string,
  ctx: BindContext,
): BoundCollection {
  const r = resolvePath(path, scope, ctx);
  if (r.property?.collection) {
    const element: RangeVariable = { name: variable, element: r.property.type };
    return { range: r.range, navs: r.navs, element, property: r.property };
  }
  if (r.navigation?.nav.collection) {
    const element: RangeVariable = { name: variable, entity: r.navigation.target };
    return { range: r.range, navs: r.navs, element, nav: r.navigation };
  }
  throw ODataError.badRequest(
    `'${path.join('/')}' is not a collection`,
    ctx.target,
    ErrorCode.BadQueryOption,
  );
}
