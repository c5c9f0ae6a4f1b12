import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a token's revocation (or deletion, also by deleting its contact) sets off, on every path
 * (the API, `npm run token`, plain SQL) and for every instance of the service:
 * - NOTIFY odata_token_revoked with the token's id: each instance ends the change streams
 *   opened with it (see ChangeStream);
 * - when the contact has no valid token left, its calendar feed secret is deleted, so the old
 *   feed URL stays dead even if the contact gets a new token later.
 */
export class TokenRevocation1763850000009 implements MigrationInterface {
  name = 'TokenRevocation1763850000009';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION api_token_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND (OLD."RevokedDateTime" IS NOT NULL OR NEW."RevokedDateTime" IS NULL) THEN
          RETURN NULL;
        END IF;
        PERFORM pg_notify('odata_token_revoked', OLD."ApiTokenId"::text);
        IF NOT EXISTS (SELECT 1 FROM api_token t
                       WHERE t."ContactId" = OLD."ContactId" AND t."RevokedDateTime" IS NULL) THEN
          DELETE FROM calendar_feed WHERE "ContactId" = OLD."ContactId";
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER api_token_revoked AFTER UPDATE OF "RevokedDateTime" OR DELETE ON "api_token"
      FOR EACH ROW EXECUTE FUNCTION api_token_revoked()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER api_token_revoked ON "api_token"`);
    await q.query(`DROP FUNCTION api_token_revoked()`);
  }
}
