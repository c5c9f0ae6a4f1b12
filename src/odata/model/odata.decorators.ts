import 'reflect-metadata';

/**
 * The few OData facts TypeORM cannot express. Everything else (keys, types, nullability,
 * navigation) is read from TypeORM's own metadata by build-edm-model.ts, so an entity is
 * declared exactly once.
 */

const ENTITY_SET = Symbol('odata:entitySet');
const PROPERTY_FLAGS = Symbol('odata:propertyFlags');

export interface EntitySetOptions {
  /** Writes answer 405 (e.g. views such as DynamicTaskItem, service-written sets). */
  readOnly?: boolean;
  /** CSDL OpenType="true": rows may carry dynamic properties. */
  openType?: boolean;
  /** Prefix of the dynamic property names, added to the keys of the jsonb column (e.g. CF_). */
  dynamicPrefix?: string;
  /** Properties searched by $search (case-insensitive substring); empty means $search is not offered. */
  searchable?: string[];
  /**
   * Full-text $search instead: a tsvector column of the table (created by a migration, with a
   * GIN index), and navigations whose targets' own vectors also count (e.g. a task's notes).
   */
  fullText?: { vector: string; config: string; via?: string[] };
  /** Entity type name when it differs from the set name. */
  typeName?: string;
}

export interface EntitySetDeclaration extends EntitySetOptions {
  name: string;
}

export interface PropertyFlags {
  /** Core.Computed: set by the service, ignored when a client sends it. */
  computed?: boolean;
  /** Not part of the OData model at all (internal bookkeeping columns). */
  ignored?: boolean;
  /** The column whose value is the entity's ETag (hidden from the model). */
  etag?: boolean;
  /** Core.Immutable: may be given on create, ignored afterwards. */
  immutable?: boolean;
}

export function EntitySet(name: string, options: EntitySetOptions = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(ENTITY_SET, { name, ...options } satisfies EntitySetDeclaration, target);
  };
}

function flag(flags: PropertyFlags): PropertyDecorator {
  return (target, propertyKey) => {
    const all: Record<string, PropertyFlags> = {
      ...(Reflect.getMetadata(PROPERTY_FLAGS, target.constructor) ?? {}),
    };
    all[String(propertyKey)] = { ...all[String(propertyKey)], ...flags };
    Reflect.defineMetadata(PROPERTY_FLAGS, all, target.constructor);
  };
}

/** Read-only for clients: computed by the service or the database (CSDL Core.Computed). */
export const Computed = (): PropertyDecorator => flag({ computed: true });
/** Kept out of the OData model. */
export const ODataIgnore = (): PropertyDecorator => flag({ ignored: true });
/** A version column that changes with every update; its value is the ETag. Hidden from the model. */
export const ETagSource = (): PropertyDecorator => flag({ etag: true, ignored: true });
/** Settable on create only (CSDL Core.Immutable). */
export const Immutable = (): PropertyDecorator => flag({ immutable: true });

export function entitySetOf(target: Function | string): EntitySetDeclaration | undefined {
  if (typeof target !== 'function') return undefined; // junction tables have a name, not a class
  return Reflect.getMetadata(ENTITY_SET, target);
}

export function propertyFlagsOf(target: Function): Record<string, PropertyFlags> {
  const chain: Record<string, PropertyFlags>[] = [];
  for (let c: any = target; c && c !== Object; c = Object.getPrototypeOf(c)) {
    const own = Reflect.getOwnMetadata(PROPERTY_FLAGS, c);
    if (own) chain.unshift(own);
  }
  return Object.assign({}, ...chain);
}
