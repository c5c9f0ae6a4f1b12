/**
 * The bound, typed query: what bind/ makes of the syntax IR (query/odata-query.ts) with the EDM
 * model, and the only thing sql/ reads. Every name here is already a property or navigation of
 * the model, every expression carries its Edm type and OData nullability, every literal is typed
 * and decoded, every limit is checked.
 *
 *   $filter=Project/Name eq 'X'  (on Task)
 *   -> { kind: 'compare', op: 'eq', type: 'Edm.Boolean', nullable: false,
 *        left:  { kind: 'property', range: $it, navs: [Project -> Project], property: Name, type: 'Edm.String', nullable: true },
 *        right: { kind: 'literal', value: 'X', type: 'Edm.String', nullable: false } }
 */
import type { EdmEntityType, EdmNavigation, EdmPrimitive, EdmProperty } from '../model/edm-model';
import type { AggregateMethod, ArithmeticOp, SearchExpr } from '../query/odata-query';

/** An expression's type; 'null' only for the null literal. */
export type ValueType = EdmPrimitive | 'null';

/**
 * What a name can start from: $it (the resource), a lambda variable, the rows of a $count's
 * filter or the output of an $apply step. Compared by identity: sql/ gives each one an alias.
 */
export interface RangeVariable {
  name: string;
  /** Entity rows (or grouped rows, as a derived type); absent for a primitive collection's elements. */
  entity?: EdmEntityType;
  /** The element type of a primitive collection (`Tags/any(t: t eq 'x')`). */
  element?: EdmPrimitive;
}

/** One single-valued navigation walked by a path. */
export interface NavStep {
  nav: EdmNavigation;
  target: EdmEntityType;
}

/** The rows of a collection-valued path: a primitive collection property or a collection navigation. */
export interface BoundCollection {
  range: RangeVariable;
  navs: NavStep[];
  /** Its elements: lambda variables and $count filters range over them. */
  element: RangeVariable;
  property?: EdmProperty;
  nav?: NavStep;
}

export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

interface Typed {
  type: ValueType;
  /** OData nullability of the value (a comparison is never null: see null-semantics.ts). */
  nullable: boolean;
}

export type BoundExpr = Typed &
  (
    | { kind: 'literal'; value: unknown }
    | { kind: 'property'; range: RangeVariable; navs: NavStep[]; property: EdmProperty }
    /** A key of an open type's jsonb column (always Edm.String). */
    | { kind: 'dynamic'; range: RangeVariable; navs: NavStep[]; key: string }
    /** A single-valued navigation as a value: its target's key (meaningful only against null). */
    | { kind: 'navigation'; range: RangeVariable; navs: NavStep[]; step: NavStep }
    /** A $compute alias; `expr` is its definition, bound once. */
    | { kind: 'computed'; alias: string; expr: BoundExpr }
    /** The element of a primitive collection a lambda ranges over. */
    | { kind: 'element'; range: RangeVariable }
    | { kind: 'compare'; op: CompareOp; left: BoundExpr; right: BoundExpr }
    /** `x eq null` / `x ne null`. */
    | { kind: 'isNull'; operand: BoundExpr; negated: boolean }
    | { kind: 'logical'; op: 'and' | 'or'; left: BoundExpr; right: BoundExpr }
    | { kind: 'not'; operand: BoundExpr }
    | { kind: 'arith'; op: ArithmeticOp; left: BoundExpr; right: BoundExpr }
    | { kind: 'negate'; operand: BoundExpr }
    | { kind: 'in'; left: BoundExpr; list: BoundExpr[] }
    | { kind: 'call'; name: string; args: BoundExpr[] }
    | { kind: 'any' | 'all'; source: BoundCollection; predicate?: BoundExpr }
    | { kind: 'count'; source: BoundCollection; filter?: BoundExpr }
    | { kind: 'cast'; operand: BoundExpr }
    /** A value known when binding (isof of a typed operand). */
    | { kind: 'constant'; value: boolean }
  );

export interface BoundOrderBy {
  expr: BoundExpr;
  desc: boolean;
}

export interface BoundCompute {
  alias: string;
  expr: BoundExpr;
  /** The property it adds to the type seen by $select. */
  property: EdmProperty;
}

export interface BoundSelect {
  /** No $select, or `*`. */
  all: boolean;
  /** Declared structural properties to return (keys always; $compute ones only when named). */
  properties: EdmProperty[];
  /** Names as written (validated): navigation links and dynamic properties to return. */
  names: string[];
}

export interface BoundExpand {
  step: NavStep;
  /** The expanded rows' $it. */
  range: RangeVariable;
  ref: boolean;
  filter?: BoundExpr;
  orderby: BoundOrderBy[];
  top?: number;
  skip?: number;
  count: boolean;
  select: BoundSelect;
  expand: BoundExpand[];
}

export type BoundAggregate =
  | { name: string; method: 'count'; type: EdmPrimitive }
  | { name: string; method: AggregateMethod; expr: BoundExpr; type: EdmPrimitive };

export type BoundApplyStep =
  | { kind: 'filter'; expr: BoundExpr; range: RangeVariable; grouped: boolean }
  | {
      kind: 'group';
      /** The rows grouped (the set, or the previous step's output). */
      input: RangeVariable;
      keys: Array<{ name: string; expr: BoundExpr }>;
      aggregates: BoundAggregate[];
      /** The grouped rows, as a derived entity type whose properties are the output columns. */
      output: RangeVariable;
    };

export interface BoundApply {
  steps: BoundApplyStep[];
  /** The last step's output: $filter and $orderby after $apply range over it. */
  output: RangeVariable;
  columns: string[];
}

export interface BoundQuery {
  type: EdmEntityType;
  root: RangeVariable;
  compute: BoundCompute[];
  filter?: BoundExpr;
  search?: SearchExpr;
  orderby: BoundOrderBy[];
  top?: number;
  skip?: number;
  skiptoken?: string;
  count: boolean;
  select: BoundSelect;
  expand: BoundExpand[];
  apply?: BoundApply;
}
