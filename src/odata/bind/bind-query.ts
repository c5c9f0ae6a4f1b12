import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType, EdmModel, EdmProperty } from '../model/edm-model';
import type { ComputeItem, ExpandItem, ODataQuery, OrderByItem, QueryOptions } from '../query/odata-query';
import type {
  BoundCompute,
  BoundExpand,
  BoundOrderBy,
  BoundQuery,
  BoundSelect,
  RangeVariable,
} from './bound-query';
import { bindApply } from './bind-apply';
import { bindCondition, bindExpr } from './bind-expr';
import type { BindContext } from './bind-path';
import { BindLimits, checkExpandDepth, checkExpression, checkTop } from './limits';

export interface BindInput {
  model: EdmModel;
  type: EdmEntityType;
  query: ODataQuery;
  limits: BindLimits;
}

/**
 * ODataQuery + EdmModel -> BoundQuery, in the order the standard applies the options:
 * $apply, $compute, $filter/$search, $orderby, $skip, $top, then $select/$expand.
 */
export function bindQuery(input: BindInput): BoundQuery {
  const { model, type, query, limits } = input;
  const root: RangeVariable = { name: '$it', entity: type };
  const ctx = (target: string, compute = new Map<string, BoundCompute>()): BindContext => ({
    model,
    root,
    variables: new Map(),
    compute,
    limits,
    target,
  });
  checkTop(query.top, limits);
  if (query.apply?.length) {
    const apply = bindApply(query, ctx('$apply'));
    const after = { ...ctx('$filter'), root: apply.output };
    if (query.search) throw ODataError.notImplemented('$search together with $apply is not supported');
    return {
      type,
      root,
      compute: [],
      apply,
      filter: query.filter && bindFilter(query.filter, after),
      orderby: bindOrderBy(query.orderby, { ...after, target: '$orderby' }),
      top: query.top,
      skip: query.skip,
      skiptoken: query.skiptoken,
      count: query.count,
      select: { all: true, properties: [], names: [] },
      expand: [],
    };
  }
  const compute = bindCompute(type, query.compute, ctx('$compute'));
  const computeMap = new Map(compute.map((c) => [c.alias, c]));
  if (query.search) checkSearchable(type);
  return {
    type,
    root,
    compute,
    filter: query.filter && bindFilter(query.filter, ctx('$filter', computeMap)),
    search: query.search,
    orderby: bindOrderBy(query.orderby, ctx('$orderby', computeMap)),
    top: query.top,
    skip: query.skip,
    skiptoken: query.skiptoken,
    count: query.count,
    select: bindSelect(type, query.select, compute),
    expand: bindExpands(model, type, query.expand, limits, 1),
  };
}

export function bindFilter(filter: ODataQuery['filter'] & object, ctx: BindContext) {
  checkExpression(filter, ctx.limits, ctx.target);
  return bindCondition(filter, ctx);
}

function bindOrderBy(items: OrderByItem[], ctx: BindContext): BoundOrderBy[] {
  return (
    items
      .map((o) => {
        checkExpression(o.expr, ctx.limits, ctx.target);
        return { expr: bindExpr(o.expr, ctx), desc: o.desc };
      })
      // ordering by the null literal orders nothing
      .filter((o) => o.expr.type !== 'null')
  );
}

function checkSearchable(type: EdmEntityType): void {
  if (!type.fullText && type.searchable.length === 0)
    throw ODataError.badRequest(
      `$search is not supported on ${type.setName}`,
      '$search',
      ErrorCode.BadQueryOption,
    );
}

/**
 * $compute: each alias becomes a property of the type the rest of the request sees, usable by
 * the next alias, $filter, $orderby and $select.
 *   $compute=WorkAmount mul 2 as Double  ->  Double: Edm.Double = arith(mul, WorkAmount, 2)
 */
function bindCompute(
  type: EdmEntityType,
  items: ComputeItem[] | undefined,
  ctx: BindContext,
): BoundCompute[] {
  const out: BoundCompute[] = [];
  for (const item of items ?? []) {
    if (type.property.has(item.alias) || type.navigation.has(item.alias) || ctx.compute.has(item.alias)) {
      throw ODataError.badRequest(
        `$compute alias '${item.alias}' is already a property of ${type.name}`,
        '$compute',
        ErrorCode.BadQueryOption,
      );
    }
    checkExpression(item.expr, ctx.limits, '$compute');
    const expr = bindExpr(item.expr, ctx);
    if (expr.type === 'null')
      throw ODataError.badRequest(
        `$compute '${item.alias}' has no type`,
        '$compute',
        ErrorCode.BadQueryOption,
      );
    const property: EdmProperty = {
      name: item.alias,
      column: item.alias,
      type: expr.type,
      collection: false,
      nullable: true,
      computed: true,
      immutable: false,
      isKey: false,
      hasDefault: true,
      queryComputed: true,
    };
    const c = { alias: item.alias, expr, property };
    ctx.compute.set(item.alias, c);
    out.push(c);
  }
  return out;
}

/** $select: declared properties (keys always, $compute ones only when named), names validated. */
export function bindSelect(
  type: EdmEntityType,
  select: string[] | undefined,
  compute: BoundCompute[] = [],
): BoundSelect {
  const declared = type.properties.filter((p) => !p.dynamic);
  if (!select || select.includes('*')) {
    const named = compute.filter((c) => select?.includes(c.alias)).map((c) => c.property);
    return { all: true, properties: [...declared, ...named], names: select ?? [] };
  }
  const names = new Set<string>(type.keys.map((k) => k.name));
  for (const s of select) {
    if (s.includes('/')) throw ODataError.notImplemented(`Selecting paths ('${s}') is not supported`);
    if (s.endsWith('.*')) continue; // all operations: nothing to select
    if (type.property.has(s) || compute.some((c) => c.alias === s)) names.add(s);
    else if (type.navigation.has(s))
      continue; // a navigation in $select only affects links
    else if (!(type.openType && type.dynamicColumn && s.startsWith(type.dynamicPrefix))) {
      throw ODataError.badRequest(
        `Property '${s}' in $select does not exist on ${type.name}`,
        '$select',
        ErrorCode.UnknownProperty,
      );
    }
  }
  const chosen = [...declared, ...compute.map((c) => c.property)].filter((p) => names.has(p.name));
  return { all: false, properties: chosen, names: select };
}

function bindExpands(
  model: EdmModel,
  type: EdmEntityType,
  items: ExpandItem[],
  limits: BindLimits,
  level: number,
): BoundExpand[] {
  const out: BoundExpand[] = [];
  for (const item of items) {
    if (item.path.length === 1 && item.path[0] === '*') {
      for (const nav of type.navigation.keys())
        out.push(bindExpand(model, type, { ...item, path: [nav] }, limits, level));
      continue;
    }
    out.push(bindExpand(model, type, item, limits, level));
  }
  return out;
}

function bindExpand(
  model: EdmModel,
  type: EdmEntityType,
  item: ExpandItem,
  limits: BindLimits,
  level: number,
): BoundExpand {
  if (item.path.length !== 1)
    throw ODataError.notImplemented(
      `Expanding paths through complex properties ('${item.path.join('/')}') is not supported`,
    );
  const nav = type.navigation.get(item.path[0]);
  if (!nav)
    throw ODataError.badRequest(
      `Navigation property '${item.path[0]}' in $expand does not exist on ${type.name}`,
      '$expand',
      ErrorCode.UnknownProperty,
    );
  checkExpandDepth(level, limits);
  const o: QueryOptions = item.options;
  if (o.levels !== undefined && o.levels !== 1)
    throw ODataError.notImplemented('$levels other than 1 is not supported');
  if (o.search) throw ODataError.notImplemented('$search inside $expand is not supported');
  checkTop(o.top, limits);
  const target = model.types.get(nav.target)!;
  const range: RangeVariable = { name: '$it', entity: target };
  const ctx = (t: string): BindContext => ({
    model,
    root: range,
    variables: new Map(),
    compute: new Map(),
    limits,
    target: t,
  });
  return {
    step: { nav, target },
    range,
    ref: item.ref,
    filter: o.filter && bindFilter(o.filter, ctx('$filter')),
    orderby: bindOrderBy(o.orderby, ctx('$orderby')),
    top: o.top,
    skip: o.skip,
    count: o.count,
    select: bindSelect(target, o.select),
    expand: item.ref ? [] : bindExpands(model, target, o.expand, limits, level + 1),
  };
}
