import type { EntityManager } from 'typeorm';
import type { EdmEntityType } from '../model/edm-model';
import type { AliasGenerator } from '../sql/filter-to-sql';
import type { SqlParams } from '../sql/sql-params';

export interface Caller {
  contactId: string;
  isAdmin: boolean;
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
export interface AccessPolicy {
  readScope(caller: Caller): ReadScope;
  /** SQL for properties whose value depends on the caller (DynamicTaskItem's permissions). */
  callerProperties?(
    type: EdmEntityType,
    alias: string,
    caller: Caller,
    params: SqlParams,
  ): Record<string, string>;
  /** Throws an ODataError when the caller may not make this change (values by column). */
  checkWrite(
    type: EdmEntityType,
    kind: WriteKind,
    caller: Caller,
    manager: EntityManager,
    row: { before?: Record<string, unknown>; after?: Record<string, unknown> },
  ): Promise<void>;
  /** Consistency of the references a write sets (checked besides the caller's read scope of their targets). */
  referenceScope?(caller: Caller): ReferenceScope;
  /** After a create, e.g. the creator of a project becomes its admin. */
  afterCreate?(
    type: EdmEntityType,
    key: Record<string, unknown>,
    caller: Caller,
    manager: EntityManager,
  ): Promise<void>;
}
