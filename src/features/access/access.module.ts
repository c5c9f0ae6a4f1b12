import { Module } from '@nestjs/common';
import { Authenticator } from './authenticator';
import { PgThrottlerStorage } from './pg-throttler-storage';
import { ProjectAccessPolicy } from './project-access.policy';
import { TokenOperations } from './token.operations';

/** Tokens, project permissions and rate limits. */
@Module({
  providers: [Authenticator, ProjectAccessPolicy, PgThrottlerStorage, TokenOperations],
  exports: [Authenticator, PgThrottlerStorage],
})
export class AccessModule {}
