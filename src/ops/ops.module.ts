import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Metrics } from './metrics';
import { OpsController } from './ops.controller';
import { DocsController } from './docs.controller';
import { PoolErrorGuard } from './pool-error-guard';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [OpsController, DocsController],
  providers: [Metrics, PoolErrorGuard],
  exports: [Metrics],
})
export class OpsModule {}
