import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Metrics } from './metrics';
import { OpsController } from './ops.controller';
import { DocsController } from './docs.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [OpsController, DocsController],
  providers: [Metrics],
  exports: [Metrics],
})
export class OpsModule {}
