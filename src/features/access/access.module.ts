import { Module } from '@nestjs/common';
import { ACCESS_POLICY } from '../../odata/model/tokens';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiToken } from './api-token.entity';
import { ProjectMember } from './project-member.entity';
import { Authenticator } from './authenticator';
import { PgThrottlerStorage } from './pg-throttler-storage';
import { ProjectAccessPolicy } from './project-access.policy';
import { TokenOperations } from './token.operations';

/** Tokens, project permissions and rate limits. */
@Module({
  imports: [TypeOrmModule.forFeature([ApiToken, ProjectMember])],
  providers: [
    Authenticator,
    ProjectAccessPolicy,
    { provide: ACCESS_POLICY, useExisting: ProjectAccessPolicy },
    PgThrottlerStorage,
    TokenOperations,
  ],
  exports: [Authenticator, ACCESS_POLICY, PgThrottlerStorage, TypeOrmModule],
})
export class AccessModule {}
