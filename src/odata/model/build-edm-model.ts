import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { RelationMetadata } from 'typeorm/metadata/RelationMetadata';
import {
  EdmComplexType,
  EdmEntityType,
  EdmModel,
  EdmNavigation,
  EdmOperation,
  EdmPrimitive,
  EdmProperty,
} from './edm-model';
import { entitySetOf, propertyFlagsOf } from './odata.decorators';

/** PostgreSQL column type (as TypeORM spells it) -> Edm primitive type. */
const EDM_TYPE_BY_COLUMN_TYPE: Record<string, EdmPrimitive> = {
  uuid: 'Edm.Guid',
  text: 'Edm.String',
  varchar: 'Edm.String',
  'character varying': 'Edm.String',
  boolean: 'Edm.Boolean',
  bool: 'Edm.Boolean',
  smallint: 'Edm.Int16',
  int: 'Edm.Int32',
  integer: 'Edm.Int32',
  int4: 'Edm.Int32',
  bigint: 'Edm.Int64',
  int8: 'Edm.Int64',
  'double precision': 'Edm.Double',
  float8: 'Edm.Double',
  real: 'Edm.Single',
  numeric: 'Edm.Decimal',
  decimal: 'Edm.Decimal',
  timestamptz: 'Edm.DateTimeOffset',
  'timestamp with time zone': 'Edm.DateTimeOffset',
  date: 'Edm.Date',
  time: 'Edm.TimeOfDay',
  interval: 'Edm.Duration',
  bytea: 'Edm.Binary',
};

function edmTypeOf(column: ColumnMetadata, entity: string): EdmPrimitive {
  const type = typeof column.type === 'string' ? column.type : (column.type as Function).name.toLowerCase();
  const edm = EDM_TYPE_BY_COLUMN_TYPE[type];
  if (!edm) throw new Error(`${entity}.${column.propertyName}: no Edm type for column type '${type}'`);
  return edm;
}

export interface OperationSource {
  operations: EdmOperation[];
  complexTypes: EdmComplexType[];
}

/**
 * TypeORM metadata + OData decorators -> EdmModel. Only entities carrying @EntitySet are
 * exposed; their relations to exposed entities become navigation properties.
 */
export function buildEdmModel(
  dataSource: DataSource,
  options: { namespace: string; containerName?: string } & Partial<OperationSource>,
): EdmModel {
  const exposed = dataSource.entityMetadatas.filter((m) => entitySetOf(m.target as Function));
  const typeNameOf = new Map<EntityMetadata, string>();
  for (const m of exposed) {
    const decl = entitySetOf(m.target as Function)!;
    typeNameOf.set(m, decl.typeName ?? decl.name);
  }

  const entityTypes: EdmEntityType[] = exposed.map((m) => {
    const decl = entitySetOf(m.target as Function)!;
    const flags = propertyFlagsOf(m.target as Function);
    const properties: EdmProperty[] = [];
    let etagColumn: string | undefined;
    let dynamicColumn: string | undefined;
    for (const c of m.columns) {
      // A relation's own join column (no separate @Column) is not a property.
      if (c.relationMetadata && c.propertyName === c.relationMetadata.propertyName) continue;
      const f = flags[c.propertyName] ?? {};
      if (f.etag) etagColumn = c.databaseName;
      if (f.ignored) {
        if (decl.openType && c.type === 'jsonb') dynamicColumn = c.databaseName;
        continue;
      }
      properties.push({
        name: c.propertyName,
        column: c.databaseName,
        type: edmTypeOf(c, m.name),
        collection: !!c.isArray,
        nullable: c.isArray ? false : c.isNullable,
        computed: !!f.computed || c.isCreateDate || c.isUpdateDate,
        immutable: !!f.immutable,
        isKey: c.isPrimary,
        hasDefault:
          c.default !== undefined || c.isGenerated || c.isCreateDate || c.isUpdateDate || c.isNullable,
        maxLength: c.length ? Number(c.length) : undefined,
      });
    }
    // Keys first, then the entity's own properties, then inherited bookkeeping (CreatedDateTime ...).
    const inherited = new Set(m.columns.filter((c) => c.target !== m.target).map((c) => c.propertyName));
    properties.sort(
      (a, b) =>
        Number(b.isKey) - Number(a.isKey) || Number(inherited.has(a.name)) - Number(inherited.has(b.name)),
    );
    const name = typeNameOf.get(m)!;
    return {
      name,
      setName: decl.name,
      table: m.tablePath,
      keys: properties.filter((p) => p.isKey),
      properties,
      property: new Map(properties.map((p) => [p.name, p])),
      navigation: new Map(
        m.relations
          .filter((r) => typeNameOf.has(r.inverseEntityMetadata))
          .map((r) => [r.propertyName, navigationOf(r, typeNameOf, properties)] as const),
      ),
      etagColumn,
      readOnly: !!decl.readOnly,
      openType: !!decl.openType,
      dynamicColumn,
      dynamicPrefix: decl.dynamicPrefix ?? '',
      searchable: decl.searchable ?? [],
      fullText: decl.fullText,
      target: m.target as Function,
    };
  });

  return {
    namespace: options.namespace,
    containerName: options.containerName ?? 'Container',
    entityTypes,
    complexTypes: options.complexTypes ?? [],
    operations: options.operations ?? [],
    sets: new Map(entityTypes.map((t) => [t.setName, t])),
    types: new Map(entityTypes.map((t) => [t.name, t])),
  };
}

function navigationOf(
  r: RelationMetadata,
  typeNameOf: Map<EntityMetadata, string>,
  sourceProperties: EdmProperty[],
): EdmNavigation {
  const target = typeNameOf.get(r.inverseEntityMetadata)!;
  const partner =
    r.inverseRelation && typeNameOf.has(r.inverseRelation.entityMetadata)
      ? r.inverseRelation.propertyName
      : undefined;
  const onDelete = r.onDelete === 'CASCADE' ? 'Cascade' : r.onDelete === 'SET NULL' ? 'SetNull' : undefined;

  if (r.isManyToMany) {
    const owner = r.isOwning ? r : r.inverseRelation!;
    const junction = owner.junctionEntityMetadata!;
    const ownerPairs = owner.joinColumns.map((jc) => ({
      junction: jc.databaseName,
      column: jc.referencedColumn!.databaseName,
    }));
    const inversePairs = owner.inverseJoinColumns.map((jc) => ({
      junction: jc.databaseName,
      column: jc.referencedColumn!.databaseName,
    }));
    const [sourceSide, targetSide] = r.isOwning ? [ownerPairs, inversePairs] : [inversePairs, ownerPairs];
    return {
      name: r.propertyName,
      target,
      collection: true,
      nullable: false,
      partner,
      constraints: [],
      join: {
        kind: 'junction',
        table: junction.tablePath,
        sourcePairs: sourceSide.map((p) => ({ junction: p.junction, source: p.column })),
        targetPairs: targetSide.map((p) => ({ junction: p.junction, target: p.column })),
      },
    };
  }
  if (r.isManyToOne || (r.isOneToOne && r.isOwning)) {
    const pairs = r.joinColumns.map((jc) => ({
      source: jc.databaseName,
      target: jc.referencedColumn!.databaseName,
    }));
    const propertyOf = (column: string) => sourceProperties.find((p) => p.column === column)?.name;
    return {
      name: r.propertyName,
      target,
      collection: false,
      nullable: r.isNullable,
      partner,
      onDelete,
      constraints: pairs
        .filter((p) => propertyOf(p.source))
        .map((p) => ({
          property: propertyOf(p.source)!,
          referencedProperty: r.inverseEntityMetadata.columns.find((c) => c.databaseName === p.target)!
            .propertyName,
        })),
      join: { kind: 'foreignKey', pairs },
    };
  }
  // one-to-many (or the inverse side of one-to-one): the foreign key lives on the target.
  const inverse = r.inverseRelation!;
  const pairs = inverse.joinColumns.map((jc) => ({
    source: jc.referencedColumn!.databaseName,
    target: jc.databaseName,
  }));
  return {
    name: r.propertyName,
    target,
    collection: r.isOneToMany,
    nullable: !r.isOneToMany,
    partner,
    constraints: [],
    join: { kind: 'foreignKey', pairs },
  };
}
