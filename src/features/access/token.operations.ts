import { Injectable } from '@nestjs/common';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ODataAction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { asContactCaller } from '../shared/caller';
import { createApiToken } from './tokens';

const NEW_TOKEN = {
  name: 'NewApiToken',
  properties: [
    { name: 'Token', type: 'Edm.String', collection: false, nullable: false },
    { name: 'ApiTokenId', type: 'Edm.Guid', collection: false, nullable: false },
  ],
};

/** Tokens through the API, for service administrators (or `npm run token`). */
@Injectable()
export class TokenOperations {
  private requireAdmin(ctx: OperationContext): void {
    if (!asContactCaller(ctx.request.caller)?.isAdmin)
      throw new ODataError(403, ErrorCode.Forbidden, 'Only service administrators manage API tokens');
  }

  /** Returns the token once; only its hash is kept. */
  @ODataAction({
    name: 'CreateApiToken',
    bindTo: { entitySet: 'Contact' },
    parameters: { name: 'Edm.String?' },
    returns: 'NewApiToken',
    complexTypes: [NEW_TOKEN],
  })
  async create(ctx: OperationContext): Promise<OperationResult> {
    this.requireAdmin(ctx);
    const { token, apiTokenId } = await createApiToken(
      ctx.manager,
      ctx.key!.ContactId as string,
      ctx.params.name ?? '',
    );
    return { kind: 'value', value: { Token: token, ApiTokenId: apiTokenId } };
  }

  /** Revokes one token of the contact, or all of them when apiTokenId is omitted. */
  @ODataAction({
    name: 'RevokeApiToken',
    bindTo: { entitySet: 'Contact' },
    parameters: { apiTokenId: 'Edm.Guid?' },
    returns: 'Edm.Int32',
  })
  async revoke(ctx: OperationContext): Promise<OperationResult> {
    this.requireAdmin(ctx);
    const r = await ctx.manager.query(
      `UPDATE api_token SET "RevokedDateTime" = now() WHERE "ContactId" = $1 AND "RevokedDateTime" IS NULL AND ($2::uuid IS NULL OR "ApiTokenId" = $2::uuid)`,
      [ctx.key!.ContactId, ctx.params.apiTokenId],
    );
    const n = Array.isArray(r) ? r[1] : 0;
    if (ctx.params.apiTokenId && n === 0) throw ODataError.notFound('No such active token of this contact');
    return { kind: 'value', value: n };
  }
}
