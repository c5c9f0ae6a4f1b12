import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index for every foreign key that had none (test/database/schema.e2e-spec.ts now checks
 * this): deleting a referenced row looks for referencing rows, and without an index that is a
 * scan of the whole referencing table per deleted row: a contact's delete scanned every task;
 * each notification deleted with a project's tasks scanned every webhook delivery.
 */
const INDEXES: Array<[table: string, column: string]> = [
  ['task', 'CreatedByContactId'],
  ['task', 'AssignedByContactId'],
  ['task_item_note', 'CreatedByContactId'],
  ['task_item_template', 'CreatedByContactId'],
  ['document', 'CreatedByContactId'],
  ['planning', 'CreatedByContactId'],
  ['risk', 'CreatedByContactId'],
  ['stopwatch', 'ContactId'],
  ['webhook_delivery', 'NotificationId'],
];

export class ForeignKeyIndexes1763850000014 implements MigrationInterface {
  name = 'ForeignKeyIndexes1763850000014';

  public async up(q: QueryRunner): Promise<void> {
    for (const [table, column] of INDEXES) {
      await q.query(`CREATE INDEX "IDX_${table}_${column}" ON "${table}" ("${column}")`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [table, column] of INDEXES) await q.query(`DROP INDEX "IDX_${table}_${column}"`);
  }
}
