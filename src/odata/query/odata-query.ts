/**
 * The typed query representation between parsing and SQL. Nothing after
 * uri/to-query-ir.ts sees odata-v4-parser's tokens.
 *
 *   $filter=Project/Name eq 'X' and WorkAmount add 1 gt 3
 *   -> { kind: 'binary', op: 'and',
 *        left:  { kind: 'binary', op: 'eq', left: { kind: 'member', path: ['Project','Name'] }, right: { kind: 'literal', type: 'string', value: 'X' } },
 *        right: { kind: 'binary', op: 'gt', left: { kind: 'binary', op: 'add', ... }, right: ... } }
 */

export type LiteralType =
  | 'null'
  | 'boolean'
  | 'string'
  | 'guid'
  | 'int'
  | 'decimal'
  | 'double'
  | 'datetimeoffset'
  | 'date'
  | 'timeofday'
  | 'duration';

export type ComparisonOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'has';
export type LogicalOp = 'and' | 'or';
export type ArithmeticOp = 'add' | 'sub' | 'mul' | 'div' | 'divby' | 'mod';
export type BinaryOp = ComparisonOp | LogicalOp | ArithmeticOp;

export type Expr =
  | { kind: 'literal'; type: LiteralType; value: string | number | boolean | null }
  /** A property path; `scope` names a lambda variable, `$it` or `$root` when the path starts there. */
  | { kind: 'member'; path: string[]; scope?: string }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'negate'; operand: Expr }
  | { kind: 'in'; left: Expr; list: Expr[] }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'lambda'; op: 'any' | 'all'; path: string[]; scope?: string; variable?: string; predicate?: Expr }
  | { kind: 'count'; path: string[]; scope?: string; filter?: Expr }
  | { kind: 'cast'; operand: Expr; type: string }
  | { kind: 'isof'; operand: Expr; type: string };

export interface OrderByItem {
  expr: Expr;
  desc: boolean;
}

export interface ExpandItem {
  /** Navigation property path (one segment for now; '*' for all). */
  path: string[];
  /** `$expand=Notes/$ref`: references only. */
  ref: boolean;
  options: QueryOptions;
}

export type SearchExpr =
  | { kind: 'term'; text: string; phrase: boolean }
  | { kind: 'and' | 'or'; left: SearchExpr; right: SearchExpr }
  | { kind: 'not'; operand: SearchExpr };

export type AggregateMethod = 'sum' | 'min' | 'max' | 'average' | 'countdistinct';

/** One aggregate of $apply: `WorkAmount with sum as Total`, or `$count as Count`. */
export type Aggregate =
  | { kind: 'aggregate'; expr: Expr; method: AggregateMethod; alias: string }
  | { kind: 'count'; alias: string };

/** One transformation of $apply, in the order written (`filter(...)/groupby(...)`). */
export type ApplyStep =
  | { kind: 'filter'; expr: Expr }
  | { kind: 'groupby'; paths: string[][]; aggregates: Aggregate[] }
  | { kind: 'aggregate'; aggregates: Aggregate[] };

/** `$compute=WorkAmount mul 2 as Double`: a named expression usable like a property. */
export interface ComputeItem {
  expr: Expr;
  alias: string;
}

export interface QueryOptions {
  filter?: Expr;
  orderby: OrderByItem[];
  top?: number;
  skip?: number;
  count: boolean;
  /** undefined means every structural property. */
  select?: string[];
  expand: ExpandItem[];
  search?: SearchExpr;
  levels?: number | 'max';
  compute?: ComputeItem[];
  apply?: ApplyStep[];
}

/** What a request asks of a collection or entity, after parsing. */
export interface ODataQuery extends QueryOptions {
  skiptoken?: string;
  /** A delta link's token (src/odata/delta). */
  deltatoken?: string;
  format?: string;
}

export function emptyOptions(): QueryOptions {
  return { orderby: [], count: false, expand: [] };
}
