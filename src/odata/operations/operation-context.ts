import type { EntityManager } from 'typeorm';
import type { EdmModel } from '../model/edm-model';
import type { ODataRequest, ODataResponse } from '../http/odata-request';

/** What an operation implementation receives. */
export interface OperationContext {
  manager: EntityManager;
  model: EdmModel;
  request: ODataRequest;
  /** Key of the bound entity (by property name), for entity-bound operations. */
  key?: Record<string, unknown>;
  /** Parameters, validated against the declaration. */
  params: Record<string, any>;
  /** The caller's rights, for operations that touch rows beyond the bound entity. */
  access: OperationAccess;
}

export interface OperationAccess {
  /** Throws 404 unless the caller can see every row of the set with these keys. */
  requireVisible(entitySet: string, keys: string[]): Promise<void>;
  /** Throws unless the caller may make this change (values by column; may add audit values). */
  checkWrite(
    entitySet: string,
    kind: 'create' | 'update' | 'delete',
    row: { before?: Record<string, unknown>; after?: Record<string, unknown> },
  ): Promise<void>;
  /**
   * Throws 400 unless every foreign key the rows set points at a row the caller can see and
   * that is consistent with the row (see check-references.ts); `names` renames error targets
   * (column -> parameter name). Values by column.
   */
  checkReferences(
    entitySet: string,
    changes: Array<{ before?: Record<string, unknown>; after: Record<string, unknown> }>,
    names?: Record<string, string>,
  ): Promise<void>;
  /** The same for keys linked through a many-to-many navigation of `row` (e.g. Task.Documents). */
  checkLinks(
    entitySet: string,
    navigation: string,
    row: Record<string, unknown>,
    keys: unknown[],
    name: string,
  ): Promise<void>;
}

/** What an operation returns; the core serialises it with the right context URL. */
export type OperationResult =
  | { kind: 'entity'; entitySet: string; key: Record<string, unknown> }
  | { kind: 'entities'; entitySet: string; keys: Array<Record<string, unknown>> }
  | { kind: 'value'; value: unknown }
  | { kind: 'none' }
  | { kind: 'response'; response: ODataResponse };
