import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType, EdmPrimitive, EdmProperty } from '../model/edm-model';
import type { Aggregate, ODataQuery } from '../query/odata-query';
import type { BoundAggregate, BoundApply, BoundApplyStep, RangeVariable } from './bound-query';
import { bindExpr } from './bind-expr';
import type { BindContext } from './bind-path';
import { bindFilter } from './bind-query';
import { NUMERIC_TYPES } from './types';

/**
 * $apply: each transformation binds over the rows the previous one produced.
 *   filter(...)                                   over the set's rows (or the grouped rows)
 *   groupby((A,Nav/B),aggregate(X with sum as S)) -> rows with properties A, "Nav/B", S
 * The grouped rows are a derived entity type whose properties are the output columns, so a later
 * `Project/Name` names the column "Project/Name".
 */
export function bindApply(query: ODataQuery, base: BindContext): BoundApply {
  let current: RangeVariable = base.root;
  let grouped = false;
  let columns: string[] = [];
  const steps: BoundApplyStep[] = [];
  for (const step of query.apply ?? []) {
    const ctx: BindContext = { ...base, root: current };
    if (step.kind === 'filter') {
      steps.push({ kind: 'filter', expr: bindFilter(step.expr, ctx), range: current, grouped });
      continue;
    }
    const keys = (step.kind === 'groupby' ? step.paths : []).map((path) => {
      const expr = bindExpr({ kind: 'member', path }, ctx);
      if (expr.type === 'null')
        throw ODataError.badRequest(`Cannot group by ${path.join('/')}`, '$apply', ErrorCode.BadQueryOption);
      return { name: path.join('/'), expr };
    });
    const aggregates: BoundAggregate[] = [];
    for (const a of step.aggregates) {
      if (keys.some((k) => k.name === a.alias) || aggregates.some((o) => o.name === a.alias))
        throw ODataError.badRequest(`Alias ${a.alias} is used twice`, '$apply', ErrorCode.BadQueryOption);
      aggregates.push(bindAggregate(a, ctx));
    }
    const outputs = [
      ...keys.map((k) => ({ name: k.name, type: k.expr.type as EdmPrimitive })),
      ...aggregates.map((a) => ({ name: a.name, type: a.type })),
    ];
    const output: RangeVariable = { name: '$it', entity: resultType(base.root.entity!, outputs) };
    steps.push({ kind: 'group', input: current, keys, aggregates, output });
    current = output;
    columns = outputs.map((o) => o.name);
    grouped = true;
  }
  if (!grouped) throw ODataError.notImplemented('$apply with only filter() transformations: use $filter');
  return { steps, output: current, columns };
}

function bindAggregate(a: Aggregate, ctx: BindContext): BoundAggregate {
  if (a.kind === 'count') return { name: a.alias, method: 'count', type: 'Edm.Int64' };
  const expr = bindExpr(a.expr, ctx);
  if (expr.type === 'null')
    throw ODataError.badRequest(`Cannot aggregate null (${a.alias})`, '$apply', ErrorCode.BadQueryOption);
  if ((a.method === 'sum' || a.method === 'average') && !NUMERIC_TYPES.has(expr.type)) {
    throw ODataError.badRequest(
      `${a.method} needs a number, but ${a.alias} aggregates ${expr.type}`,
      '$apply',
      ErrorCode.BadType,
    );
  }
  const integer = /Int|Byte/.test(expr.type);
  const type: EdmPrimitive =
    a.method === 'countdistinct'
      ? 'Edm.Int64'
      : a.method === 'average'
        ? 'Edm.Double'
        : a.method === 'sum' && integer
          ? 'Edm.Int64'
          : expr.type;
  return { name: a.alias, method: a.method, expr, type };
}

/** The grouped result as an entity type whose properties are the output columns of a derived table. */
function resultType(
  base: EdmEntityType,
  columns: Array<{ name: string; type: EdmPrimitive }>,
): EdmEntityType {
  const properties: EdmProperty[] = columns.map((c) => ({
    name: c.name,
    column: c.name,
    type: c.type,
    collection: false,
    nullable: true,
    computed: true,
    immutable: false,
    isKey: false,
    hasDefault: true,
  }));
  return {
    ...base,
    keys: [],
    properties,
    property: new Map(properties.map((p) => [p.name, p])),
    navigation: new Map(),
    openType: false,
    dynamicColumn: undefined,
  };
}
