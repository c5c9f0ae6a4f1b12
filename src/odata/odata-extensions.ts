import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { EdmEntityType } from './model/edm-model';
import {
  DynamicPropertySource,
  ODATA_DYNAMIC_PROPERTIES,
  withDynamicProperties,
} from './model/dynamic-properties';
import { ODATA_WRITE_VALIDATOR, WriteMode, WriteValidator } from './write/write-validator';
import { ChangeLog, ODATA_CHANGE_LOG } from './delta/change-log';

/**
 * What feature providers add to the core, found by their decorators once at boot
 * (@ODataDynamicProperties, @ODataWriteValidator, @ODataChangeLog; operations:
 * operations/discover-operations.ts).
 * Features never register by hand and the core is not changed after boot: these lists are
 * read-only once the application has started.
 */
@Injectable()
export class ODataExtensions implements OnModuleInit {
  private readonly dynamicSources = new Map<string, DynamicPropertySource>();
  private readonly validators = new Map<string, WriteValidator[]>();
  /** The change log behind delta links, if a feature keeps one. */
  changeLog?: ChangeLog;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      if (this.reflector.get(ODATA_DYNAMIC_PROPERTIES, metatype)) {
        const source = instance as DynamicPropertySource;
        this.dynamicSources.set(source.typeName, source);
      }
      const set = this.reflector.get<string | undefined>(ODATA_WRITE_VALIDATOR, metatype);
      if (set) this.validators.set(set, [...(this.validators.get(set) ?? []), instance as WriteValidator]);
      if (this.reflector.get(ODATA_CHANGE_LOG, metatype)) this.changeLog = instance as ChangeLog;
    }
  }

  get hasDynamicProperties(): boolean {
    return this.dynamicSources.size > 0;
  }

  hasDynamic(type: EdmEntityType): boolean {
    return this.dynamicSources.has(type.name);
  }

  /** A value that changes whenever some type's dynamic properties may have (for caching $metadata). */
  async dynamicStamp(manager: EntityManager): Promise<string> {
    const stamps = await Promise.all([...this.dynamicSources.values()].map((s) => s.stamp(manager)));
    return stamps.join('|');
  }

  /** The type with its declared dynamic properties, when a source provides them. */
  async withDynamic(type: EdmEntityType, manager: EntityManager): Promise<EdmEntityType> {
    const source = this.dynamicSources.get(type.name);
    if (!source) return type;
    return withDynamicProperties(type, await source.properties(manager));
  }

  /** Runs the feature checks on a write to `entitySet` (values by column). */
  async validateWrite(entitySet: string, values: Record<string, unknown>, mode: WriteMode): Promise<void> {
    for (const v of this.validators.get(entitySet) ?? []) await v.validate(values, mode);
  }
}
