import { MigrationInterface, QueryRunner } from 'typeorm';
import { DYNAMIC_TASK_ITEM_VIEW_V2 } from './1763850000004-dynamic-task-item-columns';

/**
 * Every row outside a project has an owner. Plannings, risks and documents get their creator
 * (set from the caller's token); templates get the project their tasks came from, their
 * creator and an IsShared flag. Existing rows know neither, so they stay NULL: without a
 * project and a creator, only administrators see and change them.
 */
const CREATOR_FKS = [
  { table: 'planning', name: 'FK_dea8c9b0b5758f95dddc7b8873c' },
  { table: 'risk', name: 'FK_ee67ae8c90925c9b8eb4a22663d' },
  { table: 'document', name: 'FK_78d0428d33a7e71b84f71b9d1f6' },
  { table: 'task_item_template', name: 'FK_4b04c81f145c7af62705dce0828' },
];

/** CREATE OR REPLACE VIEW may only append columns: the planning's creator comes last. */
export const DYNAMIC_TASK_ITEM_VIEW_V3 = DYNAMIC_TASK_ITEM_VIEW_V2.replace(
  `\nFROM task t`,
  `,\n  pl."CreatedByContactId" AS "Planning_CreatedByContactId"\nFROM task t`,
);

export class Ownership1763850000008 implements MigrationInterface {
  name = 'Ownership1763850000008';

  public async up(q: QueryRunner): Promise<void> {
    for (const fk of CREATOR_FKS) {
      await q.query(`ALTER TABLE "${fk.table}" ADD "CreatedByContactId" uuid`);
      await q.query(`ALTER TABLE "${fk.table}" ADD CONSTRAINT "${fk.name}" FOREIGN KEY ("CreatedByContactId")
        REFERENCES "contact"("ContactId") ON DELETE SET NULL ON UPDATE NO ACTION`);
    }
    await q.query(`ALTER TABLE "task_item_template" ADD "ProjectId" uuid`);
    await q.query(`ALTER TABLE "task_item_template" ADD "IsShared" boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX "IDX_a0ca1656bcc2dee434f7c49caf" ON "task_item_template" ("ProjectId")`);
    await q.query(`ALTER TABLE "task_item_template" ADD CONSTRAINT "FK_a0ca1656bcc2dee434f7c49caf6"
      FOREIGN KEY ("ProjectId")
      REFERENCES "project"("ProjectId") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(DYNAMIC_TASK_ITEM_VIEW_V3);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "dynamic_task_item"`);
    await q.query(DYNAMIC_TASK_ITEM_VIEW_V2);
    await q.query(`ALTER TABLE "task_item_template" DROP CONSTRAINT "FK_a0ca1656bcc2dee434f7c49caf6"`);
    await q.query(`DROP INDEX "IDX_a0ca1656bcc2dee434f7c49caf"`);
    await q.query(`ALTER TABLE "task_item_template" DROP COLUMN "IsShared"`);
    await q.query(`ALTER TABLE "task_item_template" DROP COLUMN "ProjectId"`);
    for (const fk of CREATOR_FKS) {
      await q.query(`ALTER TABLE "${fk.table}" DROP CONSTRAINT "${fk.name}"`);
      await q.query(`ALTER TABLE "${fk.table}" DROP COLUMN "CreatedByContactId"`);
    }
  }
}
