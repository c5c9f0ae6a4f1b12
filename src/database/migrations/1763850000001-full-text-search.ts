import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text $search: a generated tsvector per task (name and description; HTML tags are not
 * indexed, the parser skips them) and per note, each with a GIN index. The 'simple'
 * configuration: no stemming, predictable in any language.
 */
export class FullTextSearch1763850000001 implements MigrationInterface {
  name = 'FullTextSearch1763850000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "task" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS
      (to_tsvector('simple'::regconfig, COALESCE("Name", '') || ' ' || COALESCE("DescriptionHTML", ''))) STORED`);
    await q.query(`CREATE INDEX "IDX_task_search" ON "task" USING gin ("SearchVector")`);
    await q.query(`ALTER TABLE "task_item_note" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS
      (to_tsvector('simple'::regconfig, COALESCE("Note", '') || ' ' || COALESCE("ShortDescription", ''))) STORED`);
    await q.query(`CREATE INDEX "IDX_task_item_note_search" ON "task_item_note" USING gin ("SearchVector")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "task_item_note" DROP COLUMN "SearchVector"`);
    await q.query(`ALTER TABLE "task" DROP COLUMN "SearchVector"`);
  }
}
