import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may see and change what: API tokens (hashes only), project members with roles, service
 * administrators, and a table for rate limits shared by all instances.
 */
export class Access1763850000003 implements MigrationInterface {
  name = 'Access1763850000003';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "api_token" ("ApiTokenId" uuid NOT NULL DEFAULT gen_random_uuid(), "ContactId" uuid NOT NULL, "Name" text NOT NULL DEFAULT '', "TokenHash" text NOT NULL, "CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "LastUsedDateTime" TIMESTAMP WITH TIME ZONE, "RevokedDateTime" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_866d5186246353c87bf521d4359" PRIMARY KEY ("ApiTokenId"))`,
    );
    await q.query(`CREATE INDEX "IDX_b98e0d6b1cb9a42368aace438a" ON "api_token" ("ContactId")`);
    await q.query(`CREATE UNIQUE INDEX "IDX_c7317b5bf9c4396de91e788283" ON "api_token" ("TokenHash")`);
    await q.query(
      `CREATE TABLE "project_member" ("ProjectId" uuid NOT NULL, "ContactId" uuid NOT NULL, "Role" text NOT NULL DEFAULT 'Viewer', CONSTRAINT "PK_368a9a3ad0537a44bb7cc8cdb57" PRIMARY KEY ("ProjectId", "ContactId"))`,
    );
    await q.query(`ALTER TABLE "contact" ADD "IsAdmin" boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE "api_token" ADD CONSTRAINT "FK_b98e0d6b1cb9a42368aace438a6" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "project_member" ADD CONSTRAINT "FK_3132e9d7c31cc45c27cb7c0126c" FOREIGN KEY ("ProjectId") REFERENCES "project"("ProjectId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "project_member" ADD CONSTRAINT "FK_3280e29ef6c9699a720318826f8" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "project_member" ADD CONSTRAINT "CHK_project_member_role" CHECK ("Role" IN ('Viewer', 'Editor', 'Admin'))`,
    );
    // The scope of every read asks "which projects may this contact see?"
    await q.query(`CREATE INDEX "IDX_project_member_contact" ON "project_member" ("ContactId", "ProjectId")`);
    // The built-in System contact acts for ADMIN_TOKEN and for the service itself.
    await q.query(
      `UPDATE "contact" SET "IsAdmin" = true WHERE "ContactId" = '00000000-0000-0000-0000-000000000000'`,
    );
    // Request counts per key and window, shared by all instances (rate limiting).
    await q.query(`CREATE UNLOGGED TABLE "rate_limit" ("Key" text NOT NULL, "WindowStart" timestamptz NOT NULL, "Hits" integer NOT NULL DEFAULT 0,
      PRIMARY KEY ("Key", "WindowStart"))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "rate_limit"`);
    await q.query(`DROP TABLE "project_member"`);
    await q.query(`DROP TABLE "api_token"`);
    await q.query(`ALTER TABLE "contact" DROP COLUMN "IsAdmin"`);
  }
}
