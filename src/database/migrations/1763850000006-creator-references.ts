import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contact who created tasks or notes still cannot be deleted, but the refusal is now the
 * foreign-key error every client-facing path maps to 409 (23503, "is still referenced"):
 * ON DELETE RESTRICT raised 23001 instead, which no mapping knew. NO ACTION refuses the same
 * deletes, checked at the end of the statement rather than at once.
 */
const FKS = [
  { table: 'task', name: 'FK_7d44cb62661cef4248524b68d02' },
  { table: 'task_item_note', name: 'FK_1d5b24986e76ad05afe8e03283d' },
];

export class CreatorReferences1763850000006 implements MigrationInterface {
  name = 'CreatorReferences1763850000006';

  public async up(q: QueryRunner): Promise<void> {
    for (const fk of FKS) await this.recreate(q, fk.table, fk.name, 'NO ACTION');
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const fk of FKS) await this.recreate(q, fk.table, fk.name, 'RESTRICT');
  }

  private async recreate(q: QueryRunner, table: string, name: string, onDelete: string): Promise<void> {
    await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
    await q.query(
      `ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("CreatedByContactId") REFERENCES "contact"("ContactId") ON DELETE ${onDelete} ON UPDATE NO ACTION`,
    );
  }
}
