import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EdmEntityType, EdmPrimitive, EdmProperty } from './edm-model';
import { PG_TYPE } from '../sql/pg-types';
import { ident } from '../sql/sql-params';

/**
 * Declared dynamic properties of an open type, known only at run time (e.g. a CF_<FieldName>
 * per project-defined field). A feature provides them; the core lists them in $metadata and
 * lets $filter/$orderby use them with their declared types.
 */
export interface DynamicPropertySource {
  /** The entity type (name) this source describes. */
  typeName: string;
  /** Properties as they exist now: name, Edm type, and the key in the type's jsonb column. */
  properties(manager: EntityManager): Promise<Array<{ name: string; type: EdmPrimitive; key: string }>>;
  /** A cheap value that changes whenever the properties may have changed (for caching $metadata). */
  stamp(manager: EntityManager): Promise<string>;
}

export const ODATA_DYNAMIC_PROPERTIES = 'odata:dynamic-properties';

/** Marks a provider (implementing DynamicPropertySource) as the source of its type's dynamic properties. */
export const ODataDynamicProperties = () => SetMetadata(ODATA_DYNAMIC_PROPERTIES, true);

/** The type with its declared dynamic properties, each reading and casting its jsonb value. */
export function withDynamicProperties(
  type: EdmEntityType,
  props: Array<{ name: string; type: EdmPrimitive; key: string }>,
  alias = 'e0',
): EdmEntityType {
  if (!type.dynamicColumn || props.length === 0) return type;
  const added: EdmProperty[] = props
    .filter((p) => !type.property.has(p.name))
    .map((p) => ({
      name: p.name,
      column: p.name,
      type: p.type,
      collection: false,
      nullable: true,
      computed: true,
      immutable: false,
      isKey: false,
      hasDefault: true,
      dynamic: true,
      // The key comes from the database's own catalogue of fields, never from the request.
      expression: `CAST((${alias}.${ident(type.dynamicColumn!)} ->> '${p.key.replace(/'/g, "''")}') AS ${PG_TYPE[p.type]})`,
    }));
  const properties = [...type.properties, ...added];
  return { ...type, properties, property: new Map(properties.map((p) => [p.name, p])) };
}
