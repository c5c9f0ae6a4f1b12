import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A no-op update must keep a row's Version (its ETag) and ModifiedDateTime. The touch_row
 * triggers fire WHEN (OLD.* IS DISTINCT FROM NEW.*), but in a BEFORE trigger a stored
 * generated column of NEW is still NULL, so on task and task_item_note (whose "SearchVector"
 * 1763850000001 added) every update looked like a change: a PATCH that changed nothing, or a
 * checklist edit that left the counts as they were, drew a new ETag. PostgreSQL refuses a WHEN
 * that reads NEW's generated columns, so these two tables compare in the function instead,
 * leaving out the columns named as trigger arguments.
 */
const TABLES = ['task', 'task_item_note'];

export class TouchRowGeneratedColumns1763850000005 implements MigrationInterface {
  name = 'TouchRowGeneratedColumns1763850000005';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION touch_row_except() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (to_jsonb(OLD) - TG_ARGV) IS DISTINCT FROM (to_jsonb(NEW) - TG_ARGV) THEN
          NEW."Version" := nextval('row_version_seq');
          NEW."ModifiedDateTime" := now();
        END IF;
        RETURN NEW;
      END $$`);
    for (const t of TABLES) {
      await q.query(`DROP TRIGGER touch_row ON "${t}"`);
      await q.query(
        `CREATE TRIGGER touch_row BEFORE UPDATE ON "${t}" FOR EACH ROW EXECUTE FUNCTION touch_row_except('SearchVector')`,
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      await q.query(`DROP TRIGGER touch_row ON "${t}"`);
      // What the trigger did before: its WHEN was always true on these tables (see above).
      await q.query(
        `CREATE TRIGGER touch_row BEFORE UPDATE ON "${t}" FOR EACH ROW EXECUTE FUNCTION touch_row()`,
      );
    }
    await q.query(`DROP FUNCTION touch_row_except()`);
  }
}
