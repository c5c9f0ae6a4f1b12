import { compat } from '../compat';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmPrimitive } from '../model/edm-model';
import type { Expr } from '../query/odata-query';
import type { BoundExpr, CompareOp, ValueType } from './bound-query';
import { BindContext, resolveCollection, resolvePath, startRange } from './bind-path';
import { callType, expectedArgType } from './functions';
import { checkInList } from './limits';
import { COMPARISON_NULLABLE, propagatesNull } from './null-semantics';
import { LITERAL_EDM, NUMERIC_TYPES, checkComparable, temporalArithmetic, widen } from './types';

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const COMPARE = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const CASTABLE = new Set([
  'Edm.Guid',
  'Edm.String',
  'Edm.Boolean',
  'Edm.Byte',
  'Edm.SByte',
  'Edm.Int16',
  'Edm.Int32',
  'Edm.Int64',
  'Edm.Double',
  'Edm.Single',
  'Edm.Decimal',
  'Edm.DateTimeOffset',
  'Edm.Date',
  'Edm.TimeOfDay',
  'Edm.Duration',
  'Edm.Binary',
]);

const bool = (nullable: boolean) => ({ type: 'Edm.Boolean' as const, nullable });

/**
 * Syntax expression -> bound expression; one case per node kind. `expected` types a literal
 * from the other side of its comparison or from its function's signature, once.
 *
 *   WorkAmount gt 3        -> compare(gt, property WorkAmount: Edm.Double, literal 3: Edm.Double)
 *   Tags/any(t: t eq 'a')  -> any(source: Tags, predicate: compare(eq, element t, literal 'a'))
 */
export function bindExpr(expr: Expr, ctx: BindContext, expected?: ValueType): BoundExpr {
  switch (expr.kind) {
    case 'literal':
      return bindLiteral(expr, ctx, expected);
    case 'member':
      return bindMember(expr.path, expr.scope, ctx);
    case 'not': {
      const operand = bindCondition(expr.operand, ctx);
      return { kind: 'not', operand, ...bool(propagatesNull(operand)) };
    }
    case 'negate': {
      const operand = bindExpr(expr.operand, ctx);
      if (operand.type !== 'null' && !NUMERIC_TYPES.has(operand.type) && operand.type !== 'Edm.Duration')
        throw ODataError.badRequest(`Cannot negate ${operand.type}`, ctx.target, ErrorCode.BadType);
      return { kind: 'negate', operand, type: operand.type, nullable: operand.nullable };
    }
    case 'binary':
      if (expr.op === 'and' || expr.op === 'or') {
        const left = bindCondition(expr.left, ctx);
        const right = bindCondition(expr.right, ctx);
        return { kind: 'logical', op: expr.op, left, right, ...bool(propagatesNull(left, right)) };
      }
      if (expr.op === 'has')
        throw ODataError.notImplemented(
          'The has operator needs enumeration types, which this service does not declare',
        );
      if (COMPARE.has(expr.op)) return bindComparison(expr.op as CompareOp, expr.left, expr.right, ctx);
      return bindArithmetic(expr as Extract<Expr, { kind: 'binary' }>, ctx);
    case 'in': {
      checkInList(expr.list.length, ctx.limits, ctx.target);
      const left = bindExpr(expr.left, ctx);
      const list = expr.list.map((i) => bindExpr(i, ctx, left.type));
      for (const i of list) checkComparable(left.type, i.type, ctx.target);
      return { kind: 'in', left, list, ...bool(COMPARISON_NULLABLE) };
    }
    case 'call': {
      const args = expr.args.map((a, i) => bindExpr(a, ctx, expectedArgType(expr.name, i)));
      return { kind: 'call', name: expr.name, args, ...callType(expr.name, args) };
    }
    case 'lambda': {
      const source = resolveCollection(expr.path, expr.scope, expr.variable ?? '$this', ctx);
      if (!expr.predicate) return { kind: expr.op, source, ...bool(false) };
      const variables = new Map(ctx.variables).set(expr.variable!, source.element);
      const predicate = bindCondition(expr.predicate, { ...ctx, variables });
      return { kind: expr.op, source, predicate, ...bool(false) };
    }
    case 'count': {
      const source = resolveCollection(expr.path, expr.scope, '$count', ctx);
      // Inside $count's $filter, $it is the element.
      const filter = expr.filter && bindCondition(expr.filter, { ...ctx, root: source.element });
      return { kind: 'count', source, filter, type: 'Edm.Int64', nullable: false };
    }
    case 'cast': {
      if (!CASTABLE.has(expr.type))
        throw ODataError.badRequest(`Cannot cast to ${expr.type}`, ctx.target, ErrorCode.BadQueryOption);
      const operand = bindExpr(expr.operand, ctx);
      // A value that does not convert is null, as OData's cast promises.
      return { kind: 'cast', operand, type: expr.type as EdmPrimitive, nullable: true };
    }
    case 'isof': {
      const operand = bindExpr(expr.operand, ctx);
      return { kind: 'constant', value: operand.type === expr.type, ...bool(false) };
    }
  }
}

/** A boolean expression: anything else here is a 400. */
export function bindCondition(expr: Expr, ctx: BindContext): BoundExpr {
  const b = bindExpr(expr, ctx, 'Edm.Boolean');
  if (b.type !== 'Edm.Boolean' && b.type !== 'null')
    throw ODataError.badRequest(
      `Expression must be boolean, but is ${b.type}`,
      ctx.target,
      ErrorCode.BadType,
    );
  return b;
}

function bindLiteral(
  expr: Extract<Expr, { kind: 'literal' }>,
  ctx: BindContext,
  expected: ValueType | undefined,
): BoundExpr {
  if (expr.type === 'null') return { kind: 'literal', value: null, type: 'null', nullable: true };
  let type: EdmPrimitive = LITERAL_EDM[expr.type];
  let value: unknown = expr.value;
  // The seed's client writes Guids quoted ('0b1c...'): accepted through the compat hook.
  if (compat.acceptsQuotedGuid(expected as EdmPrimitive | undefined, expr.type)) {
    if (!GUID_RE.test(String(value)))
      throw ODataError.badRequest(`'${value}' is not a valid Guid`, ctx.target, ErrorCode.BadLiteral);
    type = 'Edm.Guid';
  }
  if (expected === 'Edm.DateTimeOffset' && expr.type === 'date') type = 'Edm.DateTimeOffset';
  if (expected && NUMERIC_TYPES.has(expected) && NUMERIC_TYPES.has(type)) type = expected as EdmPrimitive;
  if (type === 'Edm.Duration') value = String(value);
  if (type === 'Edm.DateTimeOffset' || type === 'Edm.Date') {
    if (Number.isNaN(new Date(String(value)).getTime()))
      throw ODataError.badRequest(`'${value}' is not a valid ${type}`, ctx.target, ErrorCode.BadLiteral);
  }
  return { kind: 'literal', value, type, nullable: false };
}

function bindMember(path: string[], scope: string | undefined, ctx: BindContext): BoundExpr {
  if (path.length === 0) {
    const range = startRange(scope, ctx);
    if (range.element) return { kind: 'element', range, type: range.element, nullable: true };
    throw ODataError.badRequest(
      'An entity cannot be used as a value here',
      ctx.target,
      ErrorCode.BadQueryOption,
    );
  }
  const computed = !scope && path.length === 1 ? ctx.compute.get(path[0]) : undefined;
  if (computed)
    return { kind: 'computed', alias: computed.alias, expr: computed.expr, ...typeOf(computed.expr) };
  const r = resolvePath(path, scope, ctx);
  // A value reached through a navigation is null when the related row is absent.
  const viaNav = r.navs.length > 0;
  if (r.property) {
    if (r.property.collection)
      throw ODataError.badRequest(
        `'${r.property.name}' is a collection; use any() or all()`,
        ctx.target,
        ErrorCode.BadQueryOption,
      );
    const nullable = r.property.nullable || viaNav;
    return {
      kind: 'property',
      range: r.range,
      navs: r.navs,
      property: r.property,
      type: r.property.type,
      nullable,
    };
  }
  if (r.dynamic !== undefined)
    return {
      kind: 'dynamic',
      range: r.range,
      navs: r.navs,
      key: r.dynamic,
      type: 'Edm.String',
      nullable: true,
    };
  if (r.navigation && !r.navigation.nav.collection) {
    // Only meaningful compared with null: Project eq null.
    const key = r.navigation.target.keys[0];
    return {
      kind: 'navigation',
      range: r.range,
      navs: r.navs,
      step: r.navigation,
      type: key.type,
      nullable: true,
    };
  }
  throw ODataError.badRequest(
    `'${path.join('/')}' cannot be used as a value`,
    ctx.target,
    ErrorCode.BadQueryOption,
  );
}

const typeOf = (e: BoundExpr) => ({ type: e.type, nullable: e.nullable });

/** Comparisons: the literal side typed from the other side; null-semantics.ts says what null does. */
function bindComparison(op: CompareOp, leftExpr: Expr, rightExpr: Expr, ctx: BindContext): BoundExpr {
  const leftFirst = leftExpr.kind !== 'literal';
  const first = bindExpr(leftFirst ? leftExpr : rightExpr, ctx);
  const hint = first.type === 'null' ? undefined : first.type;
  const second = bindExpr(leftFirst ? rightExpr : leftExpr, ctx, hint);
  const [left, right] = leftFirst ? [first, second] : [second, first];
  if (left.type === 'null' && right.type === 'null')
    // null eq null is true; le and ge include eq
    return { kind: 'constant', value: op === 'eq' || op === 'le' || op === 'ge', ...bool(false) };
  if (left.type === 'null' || right.type === 'null') {
    const operand = left.type === 'null' ? right : left;
    if (op === 'eq' || op === 'ne') return { kind: 'isNull', operand, negated: op === 'ne', ...bool(false) };
    // a comparison involving null is false
    return { kind: 'constant', value: false, ...bool(false) };
  }
  checkComparable(left.type, right.type, ctx.target);
  return { kind: 'compare', op, left, right, ...bool(COMPARISON_NULLABLE) };
}

function bindArithmetic(expr: Extract<Expr, { kind: 'binary' }>, ctx: BindContext): BoundExpr {
  const op = expr.op as Extract<BoundExpr, { kind: 'arith' }>['op'];
  const left = bindExpr(expr.left, ctx);
  const right = bindExpr(expr.right, ctx, NUMERIC_TYPES.has(left.type) ? left.type : undefined);
  const nullable = propagatesNull(left, right) || op === 'div' || op === 'divby' || op === 'mod';
  const dateLike = (t: ValueType) => t === 'Edm.DateTimeOffset' || t === 'Edm.Date' || t === 'Edm.Duration';
  if (dateLike(left.type) || dateLike(right.type)) {
    const type = temporalArithmetic(op, left.type, right.type);
    if (!type)
      throw ODataError.badRequest(
        `Operator ${op} cannot combine ${left.type} and ${right.type}`,
        ctx.target,
        ErrorCode.BadType,
      );
    return { kind: 'arith', op, left, right, type, nullable };
  }
  for (const side of [left, right]) {
    if (side.type !== 'null' && !NUMERIC_TYPES.has(side.type))
      throw ODataError.badRequest(
        `Operator ${op} needs numbers, but got ${side.type}`,
        ctx.target,
        ErrorCode.BadType,
      );
  }
  const type = op === 'divby' ? 'Edm.Decimal' : widen(left.type, right.type);
  return { kind: 'arith', op, left, right, type, nullable };
}
