import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change events per statement, not per row.
 *
 * The row triggers of 1763850000002/7/12 wrote one change_event and sent one NOTIFY per changed
 * row: a BatchInsert of 1,000 tasks paid 1,000 PL/pgSQL calls, INSERTs and NOTIFYs. Statement
 * triggers with transition tables write the same rows (one per affected entity, same columns and
 * content) with one INSERT ... SELECT, and send ONE NOTIFY per statement naming its events:
 * `<xid>:<first Id>:<last Id>` (the ids of one INSERT are ascending; other transactions may draw
 * ids in between, so the listener also matches the Xid).
 *
 * PostgreSQL allows transition tables only on triggers of one event and without column lists,
 * so each table gets three triggers, and the custom-fields event (formerly a trigger on UPDATE OF
 * "ProjectDefinedFields") is written by the task's UPDATE trigger. Statement triggers also fire
 * for statements that changed nothing: those write and send nothing.
 */
interface Table {
  table: string;
  set: string;
  /** EntityKey's column. */
  key: string;
  /** Primary key: how an UPDATE pairs old and new rows. */
  pk: string[];
  /** The event's project: the row's own, its task's (notes, checklist items), or none. */
  project: 'own' | 'task' | 'none';
  /** A "Version" column: the ETag. */
  version: boolean;
}
const TABLES: Table[] = [
  { table: 'task', set: 'Task', key: 'TaskItemId', pk: ['TaskItemId'], project: 'own', version: true },
  {
    table: 'task_item_note',
    set: 'TaskItemNote',
    key: 'TaskItemNoteId',
    pk: ['TaskItemNoteId'],
    project: 'task',
    version: true,
  },
  {
    table: 'task_status',
    set: 'TaskStatus',
    key: 'TaskItemStatusId',
    pk: ['TaskItemStatusId'],
    project: 'own',
    version: true,
  },
  {
    table: 'checklist_item',
    set: 'ChecklistItem',
    key: 'ChecklistItemId',
    pk: ['ChecklistItemId'],
    project: 'task',
    version: true,
  },
  { table: 'project', set: 'Project', key: 'ProjectId', pk: ['ProjectId'], project: 'own', version: true },
  { table: 'contact', set: 'Contact', key: 'ContactId', pk: ['ContactId'], project: 'none', version: true },
  {
    table: 'planning',
    set: 'Planning',
    key: 'PlanningId',
    pk: ['PlanningId'],
    project: 'own',
    version: true,
  },
  // EntityKey is the member; ProjectId the project whose rows enter or leave its scope.
  {
    table: 'project_member',
    set: 'ProjectMember',
    key: 'ContactId',
    pk: ['ProjectId', 'ContactId'],
    project: 'own',
    version: false,
  },
];

const KINDS = [
  { op: 'INSERT', ref: 'NEW TABLE AS new_rows' },
  { op: 'UPDATE', ref: 'OLD TABLE AS old_rows NEW TABLE AS new_rows' },
  { op: 'DELETE', ref: 'OLD TABLE AS old_rows' },
];

/** Columns an event never shows (and, for Changes, Version: it is the ETag). */
const HIDDEN = `ARRAY['SearchVector', 'ProjectDefinedFields', 'IsCalendarSyncEnabled']`;
const HIDDEN_AND_VERSION = `ARRAY['SearchVector', 'ProjectDefinedFields', 'IsCalendarSyncEnabled', 'Version']`;

function projectOf(t: Table, r: string): string {
  if (t.project === 'own') return `${r}."ProjectId"`;
  if (t.project === 'task')
    return `(SELECT x."ProjectId" FROM task x WHERE x."TaskItemId" = ${r}."TaskItemId")`;
  return 'NULL::uuid';
}

/** Rows of a project being deleted (or of its tasks, gone already) are left to its summary event. */
function skipInProjectDelete(t: Table): string {
  if (t.project === 'task') return `NOT EXISTS (SELECT 1 FROM task x WHERE x."TaskItemId" = o."TaskItemId")`;
  if (t.project === 'none') return 'FALSE';
  return `COALESCE(strpos(deleting, o."ProjectId"::text) > 0, FALSE)`;
}

/**
 * Inserts the statement's events (`rows`: EntityKey, Kind, ProjectId, Changes, ETag) and announces
 * them in one NOTIFY.
 */
const WRITE = (rows: string, ctes = '') => `
        WITH ${ctes}ev AS (
          INSERT INTO change_event ("EntitySet", "EntityKey", "Kind", "ProjectId", "Changes", "ETag")
          ${rows}
          RETURNING "Id")
        SELECT min("Id"), max("Id") INTO first_id, last_id FROM ev;
        IF first_id IS NOT NULL THEN
          PERFORM pg_notify('odata_change', pg_current_xact_id()::text || ':' || first_id || ':' || last_id);
        END IF;`;

/** The columns an event takes from the row itself (not the whole row: it may be large). */
function carried(t: Table): string {
  const columns = new Set([
    t.key,
    ...(t.project === 'own' ? ['ProjectId'] : []),
    ...(t.project === 'task' ? ['TaskItemId'] : []),
    ...(t.version ? ['Version'] : []),
  ]);
  return [...columns].map((c) => `n."${c}"`).join(', ');
}

function emitFunction(t: Table): string {
  const join = t.pk.map((c) => `o."${c}" = n."${c}"`).join(' AND ');
  const etag = (r: string) => (t.version ? `'W/"' || ${r}."Version" || '"'` : 'NULL');
  const customFields =
    t.table === 'task'
      ? `
        -- What DynamicTaskItem shows of the task's custom fields (no NOTIFY: delta links only).
        INSERT INTO change_event ("EntitySet", "EntityKey", "Kind", "ProjectId")
          SELECT 'DynamicTaskItem', n."TaskItemId", 'updated', n."ProjectId"
          FROM old_rows o JOIN new_rows n ON ${join}
          WHERE o."ProjectDefinedFields" IS DISTINCT FROM n."ProjectDefinedFields";`
      : '';
  const key = (r: string) => `${r}."${t.key}"`;
  // enable_nestloop off: PL/pgSQL plans a statement once per session, for the transition tables of
  // its first run; a join of old and new rows planned for one row (a PATCH) would be a nested loop,
  // quadratic for a later 1,000-row UPDATE. A hash join suits both. (Subqueries per row, the
  // project of a note, stay index lookups: the setting does not touch them.)
  return `CREATE OR REPLACE FUNCTION emit_${t.table}_changes() RETURNS trigger LANGUAGE plpgsql
    SET enable_nestloop = off AS $$
      DECLARE first_id bigint; last_id bigint; deleting text;
      BEGIN
        IF TG_OP = 'INSERT' THEN${WRITE(
          `SELECT '${t.set}', ${key('n')}, 'created', ${projectOf(t, 'n')}, to_jsonb(n) - ${HIDDEN_AND_VERSION}, ${etag('n')}
          FROM new_rows n`,
        )}
        ELSIF TG_OP = 'UPDATE' THEN
          -- Only the properties that changed (not Version, ModifiedDateTime); none: no event.
          -- MATERIALIZED: inlined, to_jsonb(o) would be computed again for every property.${WRITE(
            `SELECT '${t.set}', ${key('p')}, 'updated', ${projectOf(t, 'p')}, c.changes, ${etag('p')}
          FROM p CROSS JOIN LATERAL (
            SELECT COALESCE(jsonb_object_agg(e.key, e.value), '{}') AS changes FROM jsonb_each(p.j) e
            WHERE e.key NOT IN ('Version', 'ModifiedDateTime') AND (p.b -> e.key) IS DISTINCT FROM e.value) c
          WHERE c.changes <> '{}'`,
            `p AS MATERIALIZED (
          SELECT ${carried(t)}, to_jsonb(n) - ${HIDDEN} AS j, to_jsonb(o) AS b FROM old_rows o JOIN new_rows n ON ${join}),
        `,
          )}${customFields}
        ELSE
          deleting := COALESCE(current_setting('odata.deleting_projects', true), '');${WRITE(
            `SELECT '${t.set}', ${key('o')}, 'deleted', ${projectOf(t, 'o')}, '{}'::jsonb, NULL FROM old_rows o
          WHERE deleting = '' OR NOT (${skipInProjectDelete(t)})`,
          )}
        END IF;
        RETURN NULL;
      END $$`;
}

const PROJECT_BEFORE_DELETE = (payload: string) => `CREATE OR REPLACE FUNCTION project_before_delete()
  RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE n bigint; event_id bigint; deleted jsonb;
      BEGIN
        -- Read by the change triggers: no per-row events for this project's rows in this transaction.
        PERFORM set_config('odata.deleting_projects',
          COALESCE(current_setting('odata.deleting_projects', true), '') || OLD."ProjectId"::text || ',', true);
        deleted := jsonb_build_object(
          'Task', (SELECT COALESCE(jsonb_agg(t."TaskItemId"), '[]') FROM task t WHERE t."ProjectId" = OLD."ProjectId"),
          'TaskItemNote', (SELECT COALESCE(jsonb_agg(x."TaskItemNoteId"), '[]') FROM task_item_note x
                             JOIN task t ON t."TaskItemId" = x."TaskItemId" WHERE t."ProjectId" = OLD."ProjectId"),
          'ChecklistItem', (SELECT COALESCE(jsonb_agg(x."ChecklistItemId"), '[]') FROM checklist_item x
                             JOIN task t ON t."TaskItemId" = x."TaskItemId" WHERE t."ProjectId" = OLD."ProjectId"),
          'TaskStatus', (SELECT COALESCE(jsonb_agg(s."TaskItemStatusId"), '[]') FROM task_status s
                           WHERE s."ProjectId" = OLD."ProjectId"));
        DELETE FROM task WHERE "ProjectId" = OLD."ProjectId";
        GET DIAGNOSTICS n = ROW_COUNT;
        DELETE FROM change_event WHERE "ProjectId" = OLD."ProjectId";
        INSERT INTO change_event ("EntitySet", "EntityKey", "Kind", "ProjectId", "Changes", "DeletedKeys")
          VALUES ('Project', OLD."ProjectId", 'deleted', OLD."ProjectId", jsonb_build_object('TaskCount', n), deleted)
          RETURNING "Id" INTO event_id;
        PERFORM pg_notify('odata_change', ${payload});
        RETURN OLD;
      END $$`;

/**
 * task_derive of 1763850000000 (DoneDate, the assignee's and the risk's names), without a lookup
 * where there is nothing to look up: a task without assignee or risk (most of a BatchInsert) paid
 * one SELECT per row for each. `fast`: this migration's version; otherwise the original.
 */
const TASK_DERIVE = (
  fast: boolean,
) => `CREATE OR REPLACE FUNCTION task_derive() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          NEW."DoneDate" := CASE WHEN NEW."IsDone" THEN COALESCE(NEW."DoneDate", now()) END;
        ELSIF NEW."IsDone" AND NOT OLD."IsDone" THEN
          NEW."DoneDate" := now();
        ELSIF NOT NEW."IsDone" THEN
          NEW."DoneDate" := NULL;
        ELSE
          NEW."DoneDate" := OLD."DoneDate";
        END IF;
        IF TG_OP = 'INSERT' OR NEW."ContactId" IS DISTINCT FROM OLD."ContactId" THEN${
          fast
            ? `
          IF NEW."ContactId" IS NULL THEN
            NEW."ContactDisplayName" := NULL; NEW."ContactImageId" := NULL;
          ELSE
            SELECT c."DisplayName", c."ImageId" INTO NEW."ContactDisplayName", NEW."ContactImageId"
              FROM contact c WHERE c."ContactId" = NEW."ContactId";
          END IF;`
            : `
          SELECT c."DisplayName", c."ImageId" INTO NEW."ContactDisplayName", NEW."ContactImageId"
            FROM contact c WHERE c."ContactId" = NEW."ContactId";
          IF NEW."ContactId" IS NULL THEN NEW."ContactDisplayName" := NULL; NEW."ContactImageId" := NULL; END IF;`
        }
        END IF;
        IF TG_OP = 'INSERT' OR NEW."RiskId" IS DISTINCT FROM OLD."RiskId" THEN${
          fast
            ? `
          IF NEW."RiskId" IS NULL THEN
            NEW."RiskName" := NULL;
          ELSE
            SELECT r."Name" INTO NEW."RiskName" FROM risk r WHERE r."RiskId" = NEW."RiskId";
          END IF;`
            : `
          SELECT r."Name" INTO NEW."RiskName" FROM risk r WHERE r."RiskId" = NEW."RiskId";
          IF NEW."RiskId" IS NULL THEN NEW."RiskName" := NULL; END IF;`
        }
        END IF;
        RETURN NEW;
      END $$`;

/**
 * touch_row_except of 1763850000005 for task and task_item_note: a new Version only when the row
 * changes, its generated "SearchVector" (NULL in NEW here) left out. It compared to_jsonb(OLD)
 * with to_jsonb(NEW), two documents of the whole row per updated row (~80 us of a task's update,
 * paid by every card a move renumbers); a row comparison with OLD's SearchVector copied over
 * answers the same without them.
 */
const TOUCH_ROW_SEARCH = `CREATE FUNCTION touch_row_search() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE after record;
      BEGIN
        after := NEW;
        after."SearchVector" := OLD."SearchVector";
        IF after IS DISTINCT FROM OLD THEN
          NEW."Version" := nextval('row_version_seq');
          NEW."ModifiedDateTime" := now();
        END IF;
        RETURN NEW;
      END $$`;
const SEARCH_TABLES = ['task', 'task_item_note'];

export class SetBasedChangeEvents1763850000013 implements MigrationInterface {
  name = 'SetBasedChangeEvents1763850000013';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER emit_custom_fields_change ON "task"`);
    await q.query(`DROP FUNCTION emit_custom_fields_change()`);
    for (const t of TABLES) {
      await q.query(`DROP TRIGGER emit_change ON "${t.table}"`);
      await q.query(emitFunction(t));
      for (const { op, ref } of KINDS) {
        await q.query(`CREATE TRIGGER emit_change_${op.toLowerCase()} AFTER ${op} ON "${t.table}"
          REFERENCING ${ref} FOR EACH STATEMENT EXECUTE FUNCTION emit_${t.table}_changes()`);
      }
    }
    // emit_change() stays (unused) so that down() can put the row triggers back as they were.
    await q.query(TASK_DERIVE(true));
    await q.query(TOUCH_ROW_SEARCH);
    for (const t of SEARCH_TABLES) {
      await q.query(`DROP TRIGGER touch_row ON "${t}"`);
      await q.query(
        `CREATE TRIGGER touch_row BEFORE UPDATE ON "${t}" FOR EACH ROW EXECUTE FUNCTION touch_row_search()`,
      );
    }
    await q.query(PROJECT_BEFORE_DELETE(`pg_current_xact_id()::text || ':' || event_id || ':' || event_id`));
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of SEARCH_TABLES) {
      await q.query(`DROP TRIGGER touch_row ON "${t}"`);
      await q.query(
        `CREATE TRIGGER touch_row BEFORE UPDATE ON "${t}" FOR EACH ROW EXECUTE FUNCTION touch_row_except('SearchVector')`,
      );
    }
    await q.query(`DROP FUNCTION touch_row_search()`);
    await q.query(TASK_DERIVE(false));
    await q.query(PROJECT_BEFORE_DELETE('event_id::text'));
    for (const t of TABLES) {
      for (const { op } of KINDS)
        await q.query(`DROP TRIGGER emit_change_${op.toLowerCase()} ON "${t.table}"`);
      await q.query(`DROP FUNCTION emit_${t.table}_changes()`);
      await q.query(
        `CREATE TRIGGER emit_change AFTER INSERT OR UPDATE OR DELETE ON "${t.table}" FOR EACH ROW EXECUTE FUNCTION emit_change('${t.set}', '${t.key}')`,
      );
    }
    await q.query(`CREATE FUNCTION emit_custom_fields_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO change_event ("EntitySet", "EntityKey", "Kind", "ProjectId")
          VALUES ('DynamicTaskItem', NEW."TaskItemId", 'updated', NEW."ProjectId");
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER emit_custom_fields_change AFTER UPDATE OF "ProjectDefinedFields" ON "task"
      FOR EACH ROW WHEN (OLD."ProjectDefinedFields" IS DISTINCT FROM NEW."ProjectDefinedFields")
      EXECUTE FUNCTION emit_custom_fields_change()`);
  }
}
