import { SetMetadata } from '@nestjs/common';
import type { EdmComplexType } from '../model/edm-model';

export const ODATA_OPERATION = 'odata:operation';

/**
 * A parameter or return type: an Edm primitive ('Edm.Guid'), an entity type or complex type
 * name of the service ('Task', 'StopwatchState'), optionally 'Collection(...)'; a trailing
 * '?' makes it nullable (`'Edm.Guid?'`).
 */
export type TypeRef = string;

export interface OperationDeclaration {
  name: string;
  kind: 'action' | 'function';
  /** Entity set the operation is bound to, and whether to the collection or one entity. */
  bindTo?: { entitySet: string; collection?: boolean };
  parameters?: Record<string, TypeRef>;
  returns?: TypeRef;
  /**
   * An action bound to one entity needs write rights on it, unless it only reads it (e.g. a
   * template loaded into a project: the rights that matter are checked by the action).
   */
  readsBinding?: boolean;
  /** Complex types this operation introduces (declared once in $metadata). */
  complexTypes?: EdmComplexType[];
}

/** Marks a provider method as an OData action (POST, JSON body parameters). */
export const ODataAction = (decl: Omit<OperationDeclaration, 'kind'>) =>
  SetMetadata(ODATA_OPERATION, { ...decl, kind: 'action' });
/** Marks a provider method as an OData function (GET, parameters in the URL). */
export const ODataFunction = (decl: Omit<OperationDeclaration, 'kind'>) =>
  SetMetadata(ODATA_OPERATION, { ...decl, kind: 'function' });

export function parseTypeRef(ref: TypeRef): { type: string; collection: boolean; nullable: boolean } {
  const nullable = ref.endsWith('?');
  const bare = nullable ? ref.slice(0, -1) : ref;
  const m = bare.match(/^Collection\((.+)\)$/);
  return { type: m ? m[1] : bare, collection: !!m, nullable };
}
