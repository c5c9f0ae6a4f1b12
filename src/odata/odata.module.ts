import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessPolicy } from './access/access-policy';
import { AdmissionGate, AdmissionOptions } from './http/admission';
import { ODataCore, ODataLimits } from './http/odata-core';
import { ODataRequestHandler } from './http/odata-request-handler';
import { buildEdmModel } from './model/build-edm-model';
import type { EdmModel } from './model/edm-model';
import { ACCESS_POLICY, EDM_MODEL, ODATA_LIMITS } from './model/tokens';
import { ODATA_CHANGE_LOG } from './delta/change-log';
import { PlanCache } from './plan/plan-cache';
import type { Plan } from './plan/planner';
import { ODataExtensions } from './odata-extensions';
import { discoverOperations, withOperations } from './operations/discover-operations';
import { OperationRegistry } from './operations/operation-registry';
import type { InputLimits } from './uri/input-limits';

export { ACCESS_POLICY, EDM_MODEL, ODATA_LIMITS };

export interface ODataModuleOptions {
  namespace: string;
  limits: ODataLimits;
  /** Slots, lanes, queue and wait of request admission (see http/admission.ts). */
  admission: AdmissionOptions;
  /**
   * Modules the core needs providers from: one of them must export ACCESS_POLICY (boot fails
   * without it; AllowAllAccessPolicy says "no permissions" explicitly).
   */
  imports: ModuleMetadata['imports'];
}

/**
 * The protocol core as a Nest module. It builds the EDM model once at boot from TypeORM's
 * metadata (entities carrying @EntitySet) and the feature providers' @ODataAction/@ODataFunction
 * methods; the model does not change after. Features extend the core through providers the core
 * discovers (odata-extensions.ts) and the ACCESS_POLICY they provide; none registers by hand.
 */
@Module({})
export class ODataModule {
  static forRoot(options: ODataModuleOptions): DynamicModule {
    return {
      module: ODataModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: ODATA_LIMITS, useValue: options.limits },
        {
          provide: EDM_MODEL,
          inject: [getDataSourceToken(), DiscoveryService, MetadataScanner, Reflector],
          useFactory: (
            dataSource: DataSource,
            discovery: DiscoveryService,
            scanner: MetadataScanner,
            reflector: Reflector,
          ): EdmModel => {
            const model = buildEdmModel(dataSource, { namespace: options.namespace });
            // Sets with a change log (delta links) say so in CSDL: Capabilities.ChangeTracking.
            for (const { metatype } of discovery.getProviders()) {
              const tracked = metatype && reflector.get<string[] | undefined>(ODATA_CHANGE_LOG, metatype);
              for (const set of tracked ?? []) {
                const type = model.sets.get(set);
                if (type) type.changeTracking = true;
              }
            }
            const complete = withOperations(model, discoverOperations(discovery, scanner, reflector));
            Object.freeze(complete.operations);
            Object.freeze(complete.complexTypes);
            return Object.freeze(complete);
          },
        },
        { provide: AdmissionGate, useFactory: () => new AdmissionGate(options.admission) },
        { provide: PlanCache, useFactory: () => new PlanCache(options.limits.planCacheSize) },
        ODataExtensions,
        OperationRegistry,
        {
          provide: ODataRequestHandler,
          inject: [
            getDataSourceToken(),
            EDM_MODEL,
            ACCESS_POLICY,
            ODataExtensions,
            OperationRegistry,
            AdmissionGate,
            PlanCache,
          ],
          useFactory: (
            dataSource: DataSource,
            model: EdmModel,
            access: AccessPolicy,
            extensions: ODataExtensions,
            operations: OperationRegistry,
            admission: AdmissionGate,
            plans: PlanCache<Plan>,
          ) => {
            const core = new ODataCore(
              dataSource,
              model,
              options.limits,
              access,
              extensions,
              inputLimitsOf(options.limits),
              plans,
            );
            return new ODataRequestHandler(core, operations, admission);
          },
        },
      ],
      exports: [EDM_MODEL, ODataRequestHandler, AdmissionGate, PlanCache],
    };
  }
}

/** What a request may ask of the parsers; undefined when the limits leave them unset. */
function inputLimitsOf(limits: ODataLimits): InputLimits | undefined {
  const { maxUrlLength, maxOptionLength, maxNesting } = limits;
  if (!maxUrlLength || !maxOptionLength || !maxNesting) return undefined;
  // A parsed $filter may hold maxFilterNodes nodes; its text rarely needs more than two terms per node.
  return { maxUrlLength, maxOptionLength, maxNesting, maxTerms: 2 * limits.maxFilterNodes };
}
