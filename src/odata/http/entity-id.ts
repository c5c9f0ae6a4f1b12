import type { EdmEntityType, EdmProperty } from '../model/edm-model';

/**
 * The one spelling of an entity's id (`@odata.id`, Location, OData-EntityId, $ref answers),
 * written so that resolve-target.ts parses it back to the same key:
 *
 *   Task, { TaskItemId: '0b1c…' }                        -> <root>/Task(0b1c…)
 *   ProjectMember, { ProjectId: '0b1c…', ContactId: '…' } -> <root>/ProjectMember(ProjectId=0b1c…,ContactId=…)
 *   a String key 'O''Neil'                                -> <root>/Set('O''Neil') (percent-encoded)
 *
 * `key` holds the key values by column (as resolve-target.ts produces them).
 */
export function entityId(serviceRoot: string, type: EdmEntityType, key: Record<string, unknown>): string {
  return `${serviceRoot}/${entityPath(type, key)}`;
}

/** `Task(0b1c…)`: the entity's path below the service root (also in context URLs). */
export function entityPath(type: EdmEntityType, key: Record<string, unknown>): string {
  const value = (k: EdmProperty) => keyLiteral(k, key[k.column]);
  const predicate =
    type.keys.length === 1 ? value(type.keys[0]) : type.keys.map((k) => `${k.name}=${value(k)}`).join(',');
  return `${type.setName}(${predicate})`;
}

/** Key values by column from an entity's JSON (values by property name). */
export function keyOfEntity(type: EdmEntityType, entity: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(type.keys.map((k) => [k.column, entity[k.name]]));
}

/** A key value as an OData URL literal: strings quoted (quotes doubled), the others as they print. */
function keyLiteral(p: EdmProperty, value: unknown): string {
  if (p.type === 'Edm.String') return encodeURIComponent(`'${String(value).replace(/'/g, "''")}'`);
  return encodeURIComponent(String(value));
}
