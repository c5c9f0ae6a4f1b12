import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { buildEdmModel } from './model/build-edm-model';
import type { EdmModel } from './model/edm-model';
import { ODataLimits, ODataRequestHandler } from './http/odata-request-handler';
import { AdmissionGate, AdmissionOptions } from './http/admission';

import { EDM_MODEL, ODATA_LIMITS } from './model/tokens';
import { OperationRegistry } from './operations/operation-registry';

export { EDM_MODEL, ODATA_LIMITS };

export interface ODataModuleOptions {
  namespace: string;
  limits: ODataLimits;
  /** Slots, lanes, queue and wait of request admission (see http/admission.ts). */
  admission: AdmissionOptions;
}

/**
 * The protocol core as a Nest module. It discovers the entity sets from TypeORM's metadata
 * (entities carrying @EntitySet) once at boot; feature modules never register with it by hand.
 */
@Module({})
export class ODataModule {
  static forRoot(options: ODataModuleOptions): DynamicModule {
    return {
      module: ODataModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: ODATA_LIMITS, useValue: options.limits },
        {
          provide: EDM_MODEL,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource): EdmModel =>
            buildEdmModel(dataSource, { namespace: options.namespace }),
        },
        { provide: AdmissionGate, useFactory: () => new AdmissionGate(options.admission) },
        {
          provide: ODataRequestHandler,
          inject: [getDataSourceToken(), EDM_MODEL, AdmissionGate],
          useFactory: (dataSource: DataSource, model: EdmModel, admission: AdmissionGate) => {
            const handler = new ODataRequestHandler(dataSource, model, options.limits);
            handler.admission = admission;
            return handler;
          },
        },
        OperationRegistry,
      ],
      exports: [EDM_MODEL, ODataRequestHandler, AdmissionGate],
    };
  }
}
