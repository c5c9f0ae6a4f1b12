import type { EdmPrimitive } from '../model/edm-model';
import type { LiteralType } from '../query/odata-query';

/**
 * The seed's client writes a few things OData does not allow. The core accepts them only
 * through these named hooks, so that each leniency is listed once (and in the README) and can
 * be switched off in one place:
 *
 *   quotedGuidLiteral   $filter=ProjectId eq '0b1c…'   (a string literal where a Guid is expected)
 *   quotedGuidKey       Task('0b1c…')                  (a string key for a Guid key property)
 *   unqualifiedOperation Task(<key>)/MoveTaskItem       (a bound operation without its namespace)
 */
export interface Compat {
  /** May a string literal stand for a value of `expected` type in $filter (it is checked as a Guid then)? */
  acceptsQuotedGuid(expected: EdmPrimitive | undefined, literal: LiteralType): boolean;
  /** May a string literal stand for a key property of `keyType` (it is checked as a Guid then)? */
  acceptsQuotedGuidKey(keyType: EdmPrimitive, literal: LiteralType): boolean;
  /**
   * The declared name of the operation a path segment calls, or undefined: bound operations are
   * called namespace-qualified (`Tasks.MoveTaskItem`); the seed calls them bare.
   */
  operationName(segment: string, namespace: string, bound: boolean): string | undefined;
}

export const seedCompat: Compat = {
  acceptsQuotedGuid: (expected, literal) => expected === 'Edm.Guid' && literal === 'string',
  acceptsQuotedGuidKey: (keyType, literal) => keyType === 'Edm.Guid' && literal === 'string',
  operationName: (segment, namespace) =>
    segment.startsWith(`${namespace}.`) ? segment.slice(namespace.length + 1) : segment,
};

/** Standard OData only: no leniency (for a service without the seed's clients). */
export const strictCompat: Compat = {
  acceptsQuotedGuid: () => false,
  acceptsQuotedGuidKey: () => false,
  operationName: (segment, namespace, bound) =>
    segment.startsWith(`${namespace}.`) ? segment.slice(namespace.length + 1) : bound ? undefined : segment,
};

/** The hook the core calls. */
export const compat: Compat = seedCompat;
