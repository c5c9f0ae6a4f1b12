import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** Tokens are 256 random bits: a fast hash is the right one (nothing to brute-force). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `otk_${randomBytes(32).toString('base64url')}`;
}

/** Creates a token for a contact; the token itself is returned once and never stored. */
export async function createApiToken(
  m: EntityManager,
  contactId: string,
  name = '',
  token = newToken(),
): Promise<{ token: string; apiTokenId: string }> {
  const [row] = await m.query(
    `INSERT INTO api_token ("ContactId", "Name", "TokenHash") VALUES ($1, $2, $3) RETURNING "ApiTokenId"`,
    [contactId, name, hashToken(token)],
  );
  return { token, apiTokenId: row.ApiTokenId };
}
