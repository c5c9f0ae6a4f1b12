/**
 * The one runtime model of the service (EDM), built once at boot from TypeORM metadata plus
 * the OData decorators. CSDL, body validation, path resolution and SQL translation all read
 * this model and nothing else, so they cannot drift apart.
 */

export type EdmPrimitive =
  | 'Edm.Guid'
  | 'Edm.String'
  | 'Edm.Boolean'
  | 'Edm.Int16'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Double'
  | 'Edm.Decimal'
  | 'Edm.DateTimeOffset'
  | 'Edm.Date'
  | 'Edm.TimeOfDay'
  | 'Edm.Duration'
  | 'Edm.Binary'
  | 'Edm.Byte'
  | 'Edm.SByte'
  | 'Edm.Single';

export interface EdmProperty {
  name: string;
  /** The database column behind it. */
  column: string;
  type: EdmPrimitive;
  /** Collection(type) when true. */
  collection: boolean;
  nullable: boolean;
  /** Core.Computed: set by the service; ignored when sent by a client. */
  computed: boolean;
  /** Core.Immutable: accepted on create only. */
  immutable: boolean;
  isKey: boolean;
  /** The database fills it when absent on insert (DEFAULT). */
  hasDefault: boolean;
  maxLength?: number;
  /** SQL over the request's root alias instead of a column ($compute, or a per-caller value). */
  expression?: string;
  /** Defined by the request's $compute: returned only when $select names it. */
  queryComputed?: boolean;
  /** A declared dynamic property of an open type: its value is in the type's jsonb column. */
  dynamic?: boolean;
}

/** How a navigation property joins, in columns of the two tables involved. */
export type NavigationJoin =
  | {
      kind: 'foreignKey';
      /** Pairs of (column on the source table, column on the target table). */
      pairs: Array<{ source: string; target: string }>;
    }
  | {
      kind: 'junction';
      table: string;
      /** junction column -> source column */
      sourcePairs: Array<{ junction: string; source: string }>;
      /** junction column -> target column */
      targetPairs: Array<{ junction: string; target: string }>;
    };

export interface EdmNavigation {
  name: string;
  /** Entity type name of the target. */
  target: string;
  collection: boolean;
  nullable: boolean;
  partner?: string;
  /** Referential constraints for CSDL: dependent property -> principal property. */
  constraints: Array<{ property: string; referencedProperty: string }>;
  onDelete?: 'Cascade' | 'SetNull' | 'None';
  join: NavigationJoin;
}

export interface EdmEntityType {
  name: string;
  setName: string;
  table: string;
  keys: EdmProperty[];
  properties: EdmProperty[];
  property: Map<string, EdmProperty>;
  navigation: Map<string, EdmNavigation>;
  /** Column whose value is the ETag, if any. */
  etagColumn?: string;
  readOnly: boolean;
  openType: boolean;
  /** Columns holding a jsonb object whose keys are dynamic properties (open types). */
  dynamicColumn?: string;
  /** Prefix of dynamic property names: name = prefix + jsonb key. */
  dynamicPrefix: string;
  searchable: string[];
  fullText?: { vector: string; config: string; via?: string[] };
  /** The TypeORM entity class. */
  target: Function;
  /** Delta links are supported (a change log tracks the set; see odata/delta). */
  changeTracking?: boolean;
}

export interface EdmParameter {
  name: string;
  type: string;
  collection: boolean;
  nullable: boolean;
}

export interface EdmReturnType {
  /** An Edm primitive, an entity type name, or a complex type name (qualified later). */
  type: string;
  collection: boolean;
  nullable: boolean;
}

export interface EdmComplexType {
  name: string;
  properties: Array<{ name: string; type: string; collection: boolean; nullable: boolean }>;
}

export interface EdmOperation {
  name: string;
  kind: 'action' | 'function';
  /** null for unbound (imported into the container). */
  binding: { entitySet: string; collection: boolean } | null;
  parameters: EdmParameter[];
  returnType?: EdmReturnType;
  /** When the operation returns entities, the set they belong to. */
  entitySetPath?: string;
}

export interface EdmModel {
  namespace: string;
  containerName: string;
  entityTypes: EdmEntityType[];
  complexTypes: EdmComplexType[];
  operations: EdmOperation[];
  /** By entity set name. */
  sets: Map<string, EdmEntityType>;
  /** By entity type name. */
  types: Map<string, EdmEntityType>;
}

export function qualified(model: Pick<EdmModel, 'namespace'>, name: string): string {
  return name.startsWith('Edm.') ? name : `${model.namespace}.${name}`;
}
