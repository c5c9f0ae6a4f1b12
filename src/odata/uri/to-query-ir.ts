import { ErrorCode, ODataError } from '../errors/odata-error';
import type { ArithmeticOp, BinaryOp, Expr } from '../query/odata-query';
import type { Token } from './parser-extensions/bool-expr';
import { literal } from './literal-ir';

/**
 * odata-v4-parser tokens -> the typed Expr of query/odata-query.ts. With literal-ir.ts (its
 * leaves), the only file that reads the parser's token shapes.
 *
 *   Name eq 'Sam'  ->  { kind: 'binary', op: 'eq', left: { kind: 'member', path: ['Name'] },
 *                        right: { kind: 'literal', type: 'string', value: 'Sam' } }
 */

const BINARY: Record<string, BinaryOp> = {
  EqualsExpression: 'eq',
  NotEqualsExpression: 'ne',
  LesserThanExpression: 'lt',
  LesserOrEqualsExpression: 'le',
  GreaterThanExpression: 'gt',
  GreaterOrEqualsExpression: 'ge',
  HasExpression: 'has',
  AndExpression: 'and',
  OrExpression: 'or',
  AddExpression: 'add',
  SubExpression: 'sub',
  MulExpression: 'mul',
  DivExpression: 'div',
  ModExpression: 'mod',
};

const ARITHMETIC_PRECEDENCE: Record<ArithmeticOp, number> = {
  add: 1,
  sub: 1,
  mul: 2,
  div: 2,
  divby: 2,
  mod: 2,
};

export interface IrContext {
  /** Parameter aliases of the request (`@n` -> its value text, already parsed to Expr). */
  alias: (name: string) => Expr;
}

export function toExpr(t: Token, ctx: IrContext): Expr {
  switch (t.type) {
    case 'CommonExpression':
    case 'BoolParenExpression':
    case 'ParenExpression':
    case 'LambdaPredicateExpression':
      return toExpr(t.value, ctx);
    case 'NotExpression':
      return { kind: 'not', operand: toExpr(t.value, ctx) };
    case 'NegateExpression': {
      const operand = toExpr(t.value, ctx);
      if (operand.kind === 'literal' && typeof operand.value === 'number')
        return { ...operand, value: -operand.value };
      return { kind: 'negate', operand };
    }
    case 'LambdaPathExpression':
      return lambda(t, ctx);
    case 'InExpression':
      return {
        kind: 'in',
        left: toExpr(t.value.left, ctx),
        list: (t.value.right.value as Token[]).map((i) => toExpr(i, ctx)),
      };
    case 'Literal':
      return literal(t);
    case 'ParameterAlias':
      return ctx.alias(t.value.name);
    case 'MethodCallExpression':
      return {
        kind: 'call',
        name: String(t.value.method).toLowerCase(),
        args: (t.value.parameters ?? []).map((p: Token) => toExpr(p, ctx)),
      };
    case 'IsOfExpression':
      return {
        kind: 'isof',
        operand: t.value.target ? toExpr(t.value.target, ctx) : { kind: 'member', path: [], scope: '$it' },
        type: typeName(t.value.typename),
      };
    case 'CastExpression':
      return {
        kind: 'cast',
        operand: toExpr(t.value.target, ctx),
        type: typeof t.value.typename === 'string' ? t.value.typename : typeName(t.value.typename),
      };
    case 'FirstMemberExpression':
    case 'MemberExpression':
    case 'PropertyPathExpression':
    case 'ImplicitVariableExpression':
    case 'LambdaVariableExpression':
    case 'RootExpression':
      return member(t, ctx);
    default: {
      const op = BINARY[t.type];
      if (op && op in ARITHMETIC_PRECEDENCE) return arithmetic(t, ctx);
      if (op)
        return { kind: 'binary', op, left: toExpr(t.value.left, ctx), right: toExpr(t.value.right, ctx) };
      throw ODataError.badRequest(`Unsupported expression '${t.raw}'`, undefined, ErrorCode.BadQueryOption);
    }
  }
}

/** `Tags/any(x: x in (...))` from bool-expr.ts's lambda rule. */
function lambda(t: Token, ctx: IrContext): Expr {
  const { op, path, variable, predicate } = t.value as {
    op: 'any' | 'all';
    path: string[];
    variable?: string;
    predicate?: Token;
  };
  const scope = path[0] === '$it' ? '$it' : undefined;
  const body = predicate && variable ? bindVariable(toExpr(predicate, ctx), variable) : undefined;
  const rest = scope ? path.slice(1) : path;
  return { kind: 'lambda', op, path: rest, ...(scope ? { scope } : {}), variable, predicate: body };
}

/**
 * Paths of a lambda predicate that start with its variable (`x`, `n/Note`) are scoped to it:
 * `{ path: ['n','Note'] }` -> `{ scope: 'n', path: ['Note'] }`. An inner lambda with the same
 * variable name shadows it. Nodes are changed in place (they are fresh from toExpr).
 */
function bindVariable(e: Expr, variable: string): Expr {
  const visit = (x: any): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(visit);
    if (
      (x.kind === 'member' || x.kind === 'lambda' || x.kind === 'count') &&
      !x.scope &&
      x.path?.[0] === variable
    ) {
      x.scope = variable;
      x.path = x.path.slice(1);
    }
    if (x.kind === 'lambda' && x.variable === variable) return;
    for (const v of Object.values(x)) visit(v);
  };
  visit(e);
  return e;
}

/**
 * odata-v4-parser nests arithmetic to the right (`a sub b add c` becomes a sub (b add c)) and
 * ignores mul-over-add precedence. Read the run of arithmetic operators off the parser's tokens
 * (a parenthesised operand is one operand: the parser keeps it as a ParenExpression) and build it
 * left-associatively with OData's precedence.
 */
function arithmetic(t: Token, ctx: IrContext): Expr {
  const operands: Expr[] = [];
  const ops: ArithmeticOp[] = [];
  const flatten = (x: Token): void => {
    if (x.type === 'CommonExpression') return flatten(x.value);
    const op = BINARY[x.type];
    if (op && op in ARITHMETIC_PRECEDENCE) {
      flatten(x.value.left);
      ops.push(op as ArithmeticOp);
      flatten(x.value.right);
    } else operands.push(toExpr(x, ctx));
  };
  flatten(t);
  // Shunting-yard over the flat run.
  const out: Expr[] = [operands[0]];
  const stack: ArithmeticOp[] = [];
  const reduce = () => {
    const right = out.pop()!;
    const left = out.pop()!;
    out.push({ kind: 'binary', op: stack.pop()!, left, right });
  };
  ops.forEach((op, i) => {
    while (stack.length && ARITHMETIC_PRECEDENCE[stack[stack.length - 1]] >= ARITHMETIC_PRECEDENCE[op])
      reduce();
    stack.push(op);
    out.push(operands[i + 1]);
  });
  while (stack.length) reduce();
  return out[0];
}

function typeName(t: any): string {
  if (typeof t === 'string') return t;
  const inner = t?.value?.value ?? t?.value;
  if (inner?.namespace) return `${inner.namespace}.${inner.name}`;
  return String(t?.raw ?? '');
}

/** Walks the parser's member shapes into one path, ending in a lambda or $count if present. */
function member(t: Token, ctx: IrContext): Expr {
  const path: string[] = [];
  let scope: string | undefined;
  let tail: Expr | undefined;

  const walk = (x: any): void => {
    if (!x) return;
    if (Array.isArray(x)) {
      x.forEach(walk);
      return;
    }
    switch (x.type) {
      case 'FirstMemberExpression':
      case 'MemberExpression':
      case 'SingleNavigationExpression':
      case 'CollectionNavigationExpression':
      case 'SinglePathExpression':
      case 'ComplexPathExpression':
        walk(x.value);
        return;
      case 'ImplicitVariableExpression':
        scope = '$it';
        return;
      case 'RootExpression':
        scope = '$root';
        walk(x.value);
        return;
      case 'LambdaVariableExpression':
        scope = x.value.name;
        return;
      case 'ODataIdentifier':
        path.push(x.value.name);
        return;
      case 'PropertyPathExpression':
        if (x.value?.current) {
          walk(x.value.current);
          walk(x.value.next);
        } else walk(x.value);
        return;
      case 'CollectionPathExpression':
        walk(x.value);
        return;
      case 'AnyExpression':
      case 'AllExpression': {
        const variable = x.value?.variable?.value?.name;
        const predicate = x.value?.predicate ? toExpr(x.value.predicate, ctx) : undefined;
        tail = {
          kind: 'lambda',
          op: x.type === 'AnyExpression' ? 'any' : 'all',
          path: [],
          variable,
          predicate,
        };
        return;
      }
      case 'CountExpression':
        tail = { kind: 'count', path: [] };
        return;
      default:
        if (x.value?.name && typeof x.value.name === 'string') {
          path.push(x.value.name);
          return;
        }
        throw ODataError.badRequest(
          `Unsupported path expression '${x.raw ?? t.raw}'`,
          undefined,
          ErrorCode.BadQueryOption,
        );
    }
  };
  walk(t);
  if (tail?.kind === 'lambda') return { ...tail, path, scope };
  if (tail?.kind === 'count') return { ...tail, path, scope };
  return { kind: 'member', path, ...(scope ? { scope } : {}) };
}
