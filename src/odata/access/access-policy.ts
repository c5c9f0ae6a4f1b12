import type { EntityManager } from 'typeorm';
import type { EdmEntityType } from '../model/edm-model';
import type { AliasGenerator } from '../sql/filter-to-sql';
import type { SqlParams } from '../sql/sql-params';

/**
 * Who is calling, as the core sees it: an opaque identity. The core uses `id` only to key rate
 * limits and logs; what else a caller carries (roles, a contact) is the authenticator's and the
 * policy's business, which narrow it to their own type (`AccessPolicy<MyCaller>`).
 */
export interface Caller {
  readonly id: string;
}

/** Restricts the rows of `type` under `alias` to what the caller may read (SQL), or undefined for all. */
export type ReadScope = (
  type: EdmEntityType,
  alias: string,
  params: SqlParams,
  aliases: AliasGenerator,
) => string | undefined;

export type WriteKind = 'create' | 'update' | 'delete';

/**
 * What a reference from a `source` row to a `target` row (under `alias`) must also satisfy to
 * be consistent, e.g. "in the same project"; `row(column)` is SQL for a column of the source row.
 * Undefined: any row the caller can see will do.
 */
export type ReferenceScope = (
  source: EdmEntityType,
  target: EdmEntityType,
  alias: string,
  row: (column: string) => string,
  params: SqlParams,
) => string | undefined;

/**
 * Who may see and change what. The core asks the policy for a SQL condition wherever a query
 * touches a table (the requested set, navigation, $expand, lambdas, $count, $apply, $search)
 * and before every write; a feature module provides it. Rows the caller may not see answer 404.
 */
export interface AccessPolicy<C extends Caller = Caller> {
  readScope(caller: C): ReadScope;
  /** SQL for properties whose value depends on the caller (DynamicTaskItem's permissions). */
  callerProperties?(type: EdmEntityType, alias: string, caller: C, params: SqlParams): Record<string, string>;
  /** Throws an ODataError when the caller may not make this change (values by column). */
  checkWrite(
    type: EdmEntityType,
    kind: WriteKind,
    caller: C,
    manager: EntityManager,
    row: { before?: Record<string, unknown>; after?: Record<string, unknown> },
  ): Promise<void>;
  /** Consistency of the references a write sets (checked besides the caller's read scope of their targets). */
  referenceScope?(caller: C): ReferenceScope;
  /** After a create, e.g. the creator of a project becomes its admin. */
  afterCreate?(
    type: EdmEntityType,
    key: Record<string, unknown>,
    caller: C,
    manager: EntityManager,
  ): Promise<void>;
}

/**
 * Everyone sees and changes everything: for tests and tools that want no permissions, said out
 * loud (the core refuses to boot without some policy, so that no service fails open by omission).
 */
export class AllowAllAccessPolicy implements AccessPolicy {
  readScope(): ReadScope {
    return () => undefined;
  }
  async checkWrite(): Promise<void> {}
}
