import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { FeaturesModule } from './features/features.module';
import { AccessModule } from './features/access/access.module';
import { OpsModule } from './ops/ops.module';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { loggingParams } from './ops/logging';
import { ODataModule } from './odata/odata.module';
import { longSlotsOf } from './odata/http/admission';

/** Wires configuration, the database, the OData core and the feature modules. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logStream?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggingParams(config, logStream)),
        TypeOrmModule.forRoot(
          dataSourceOptions(databaseUrl, {
            poolSize: config.dbPoolSize,
            poolWaitMs: config.dbPoolWaitMs,
            statementTimeoutMs: config.statementTimeoutMs,
          }),
        ),
        ODataModule.forRoot({
          namespace: 'Tasks',
          limits: {
            maxPageSize: config.odata.maxPageSize,
            maxTop: config.odata.maxTop,
            maxExpandDepth: config.odata.maxExpandDepth,
            maxFilterNodes: config.odata.maxFilterNodes,
            maxInList: config.odata.maxInList,
            maxBatchRequests: config.odata.maxBatchRequests,
            maxUrlLength: config.odata.maxUrlLength,
            maxOptionLength: config.odata.maxOptionLength,
            maxNesting: config.odata.maxNesting,
            maxJsonDepth: config.odata.maxJsonDepth,
            streamDeadlineMs: config.odata.streamDeadlineMs,
            planCacheSize: config.odata.planCacheSize,
            preparedStatements: config.odata.preparedStatements,
            feedReadAhead: config.odata.feedReadAhead,
          },
          admission: {
            slots: config.dbPoolSize,
            longSlots: longSlotsOf(config.dbPoolSize, config.dbPoolLongShare),
            queueLength: config.dbQueueLength,
            waitMs: config.dbPoolWaitMs,
          },
          // Provides the ACCESS_POLICY (project permissions).
          imports: [AccessModule],
        }),
        FeaturesModule,
        OpsModule,
      ],
    };
  }
}
