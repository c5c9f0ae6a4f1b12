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
}

/** What an operation returns; the core serialises it with the right context URL. */
export type OperationResult =
  | { kind: 'entity'; entitySet: string; key: Record<string, unknown> }
  | { kind: 'entities'; entitySet: string; keys: Array<Record<string, unknown>> }
  | { kind: 'value'; value: unknown }
  | { kind: 'none' }
  | { kind: 'response'; response: ODataResponse };
