import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deletes that keep the README's promises on populated projects.
 *
 * A project's delete cascades to its statuses, plannings and risks as well as its tasks, in an
 * order PostgreSQL chooses. A card could then be updated twice in one transaction (its status
 * deleted, its planning set null, ...), and PostgreSQL re-checks the foreign keys of a row this
 * transaction already changed: the card's project was gone, and the delete failed with 23503.
 * So the project's tasks go first, in a BEFORE trigger, while the project still exists.
 *
 * One summary event per project (Kind 'deleted', Changes.TaskCount) replaces an event per
 * deleted row, so a 100,000-task project does not flood change-stream clients; the project's
 * older events go too (they carry its data). Relations pointing at a deleted task, project,
 * document or contact are removed, whichever project the relating task is in.
 */
const RELATION_TARGETS = [
  { table: 'task', key: 'TaskItemId' },
  { table: 'project', key: 'ProjectId' },
  { table: 'document', key: 'DocumentId' },
  { table: 'contact', key: 'ContactId' },
];

/** emit_change of 1763850000002, with deletes inside a project delete left to its summary. */
const EMIT_CHANGE = (skipInProjectDelete: boolean) => `CREATE OR REPLACE FUNCTION emit_change()
  RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        rec jsonb;
        before jsonb;
        changes jsonb := '{}';
        project uuid;
        kind text;
        event_id bigint;
      BEGIN${
        skipInProjectDelete
          ? `
        -- Inside a project's delete: its own rows, and rows of its tasks (gone already), are
        -- left to the delete's summary event. Checked first, before the costly to_jsonb: a
        -- 100,000-task project pays this per row. (OLD."ProjectId" is planned only for the
        -- tables that have it: PL/pgSQL plans a statement when it first runs.)
        IF TG_OP = 'DELETE' AND current_setting('odata.deleting_projects', true) > '' THEN
          IF TG_TABLE_NAME IN ('task_item_note', 'checklist_item') THEN
            IF NOT EXISTS (SELECT 1 FROM task t WHERE t."TaskItemId" = OLD."TaskItemId") THEN
              RETURN NULL;
            END IF;
          ELSIF TG_TABLE_NAME IN ('task', 'task_status', 'project', 'planning', 'project_member') THEN
            IF strpos(current_setting('odata.deleting_projects', true), OLD."ProjectId"::text) > 0 THEN
              RETURN NULL;
            END IF;
          END IF;
        END IF;`
          : ''
      }
        IF TG_OP = 'DELETE' THEN
          rec := to_jsonb(OLD);
          kind := 'deleted';
        ELSE
          rec := to_jsonb(NEW);
          kind := CASE TG_OP WHEN 'INSERT' THEN 'created' ELSE 'updated' END;
        END IF;
        rec := rec - 'SearchVector' - 'ProjectDefinedFields' - 'IsCalendarSyncEnabled';
        IF TG_OP = 'UPDATE' THEN
          before := to_jsonb(OLD);
          SELECT COALESCE(jsonb_object_agg(n.key, n.value), '{}') INTO changes
            FROM jsonb_each(rec) n
            WHERE n.key NOT IN ('Version', 'ModifiedDateTime') AND (before -> n.key) IS DISTINCT FROM n.value;
          IF changes = '{}' THEN RETURN NULL; END IF;
        ELSIF TG_OP = 'INSERT' THEN
          changes := rec - 'Version';
        END IF;
        IF rec ? 'ProjectId' THEN
          project := (rec ->> 'ProjectId')::uuid;
        ELSIF rec ? 'TaskItemId' THEN
          SELECT t."ProjectId" INTO project FROM task t WHERE t."TaskItemId" = (rec ->> 'TaskItemId')::uuid;
        END IF;
        INSERT INTO change_event ("EntitySet", "EntityKey", "Kind", "ProjectId", "Changes", "ETag")
          VALUES (TG_ARGV[0], (rec ->> TG_ARGV[1])::uuid, kind, project, changes,
                  CASE WHEN TG_OP <> 'DELETE' AND rec ? 'Version' THEN 'W/"' || (rec ->> 'Version') || '"' END)
          RETURNING "Id" INTO event_id;
        PERFORM pg_notify('odata_change', event_id::text);
        RETURN NULL;
      END $$`;

export class ProjectDelete1763850000007 implements MigrationInterface {
  name = 'ProjectDelete1763850000007';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(EMIT_CHANGE(true));
    await q.query(`CREATE INDEX "IDX_task_relation_item" ON "task_relation" ("ItemId")`);

    await q.query(`CREATE FUNCTION project_before_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE n bigint; event_id bigint;
      BEGIN
        -- Read by emit_change: no per-row events for this project's rows in this transaction.
        PERFORM set_config('odata.deleting_projects',
          COALESCE(current_setting('odata.deleting_projects', true), '') || OLD."ProjectId"::text || ',', true);
        DELETE FROM task WHERE "ProjectId" = OLD."ProjectId";
        GET DIAGNOSTICS n = ROW_COUNT;
        DELETE FROM change_event WHERE "ProjectId" = OLD."ProjectId";
        INSERT INTO change_event ("EntitySet", "EntityKey", "Kind", "ProjectId", "Changes")
          VALUES ('Project', OLD."ProjectId", 'deleted', OLD."ProjectId", jsonb_build_object('TaskCount', n))
          RETURNING "Id" INTO event_id;
        PERFORM pg_notify('odata_change', event_id::text);
        RETURN OLD;
      END $$`);
    await q.query(`CREATE TRIGGER project_before_delete BEFORE DELETE ON "project"
      FOR EACH ROW EXECUTE FUNCTION project_before_delete()`);

    for (const { table, key } of RELATION_TARGETS) {
      await q.query(`CREATE FUNCTION ${table}_drop_relations() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM task_relation r USING gone g WHERE r."ItemId" = g."${key}";
          RETURN NULL;
        END $$`);
      await q.query(`CREATE TRIGGER ${table}_drop_relations AFTER DELETE ON "${table}"
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION ${table}_drop_relations()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const { table } of RELATION_TARGETS) {
      await q.query(`DROP TRIGGER ${table}_drop_relations ON "${table}"`);
      await q.query(`DROP FUNCTION ${table}_drop_relations()`);
    }
    await q.query(`DROP TRIGGER project_before_delete ON "project"`);
    await q.query(`DROP FUNCTION project_before_delete()`);
    await q.query(`DROP INDEX "IDX_task_relation_item"`);
    await q.query(EMIT_CHANGE(false));
  }
}
