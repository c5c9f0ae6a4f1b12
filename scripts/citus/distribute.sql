-- Distributing the service's schema over a Citus cluster by "ProjectId".
--
-- NOT RUN: no Citus package is available where this was written. It is the plan of the
-- README's Citus section in executable form, to be run on the coordinator of a Citus 12+
-- cluster against a database migrated to the latest migration (npm run migration:run), after
-- the application changes listed in README (Scaling, Citus) are in. Read it before running it.
--
-- Shape: every project's rows (its tasks, columns, fields, members and everything under a
-- task) live on one shard, so a board, a project's feed and a card move touch one worker.
-- Small, everywhere-joined tables are reference tables (a copy on every node). Bookkeeping
-- stays on the coordinator.

BEGIN;

CREATE EXTENSION IF NOT EXISTS citus;

-- Triggers on distributed tables (touch_row, emit_change, task_derive, ...) run on the shards;
-- Citus only allows that when asked, and they must only touch rows of the same project.
SET citus.enable_unsafe_triggers = on;
DO $$ BEGIN
  EXECUTE format('ALTER DATABASE %I SET citus.enable_unsafe_triggers = on', current_database());
END $$;

------------------------------------------------------------------------------------------------
-- 1. Schema changes the distribution needs (the application must ship them first, as a
--    migration: these statements show what that migration does).
------------------------------------------------------------------------------------------------

-- 1a. A task always has a project (the distribution column cannot be NULL). Tasks without one
--     move to a per-installation "Inbox" project.
INSERT INTO project ("ProjectId", "Name")
  SELECT '00000000-0000-0000-0000-0000000000a1'::uuid, 'Inbox' WHERE EXISTS (SELECT 1 FROM task WHERE "ProjectId" IS NULL);
UPDATE task SET "ProjectId" = '00000000-0000-0000-0000-0000000000a1' WHERE "ProjectId" IS NULL;
ALTER TABLE task ALTER COLUMN "ProjectId" SET NOT NULL;

-- 1b. "ProjectId" on every table under a task (filled from the task, kept by the application
--     on insert), so that a task and everything under it share a shard.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['checklist_item', 'task_item_note', 'task_contributor', 'task_document',
                           'task_follower', 'task_relation', 'time_entry', 'stopwatch', 'notification']
  LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN IF NOT EXISTS "ProjectId" uuid', t);
    EXECUTE format('UPDATE %I c SET "ProjectId" = t."ProjectId" FROM task t WHERE t."TaskItemId" = c."TaskItemId"', t);
    EXECUTE format('ALTER TABLE %I ALTER COLUMN "ProjectId" SET NOT NULL', t);
  END LOOP;
END $$;
ALTER TABLE webhook_delivery ADD COLUMN IF NOT EXISTS "ProjectId" uuid;
UPDATE webhook_delivery d SET "ProjectId" = n."ProjectId" FROM notification n WHERE n."NotificationId" = d."NotificationId";
ALTER TABLE webhook_delivery ALTER COLUMN "ProjectId" SET NOT NULL;
-- change_event rows without a project (contacts, templates) go to the Inbox project's shard.
UPDATE change_event SET "ProjectId" = '00000000-0000-0000-0000-0000000000a1' WHERE "ProjectId" IS NULL;

-- Replaces a table's primary key, whatever TypeORM named it.
CREATE FUNCTION pg_temp.set_primary_key(tbl regclass, cols text) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE pk name;
BEGIN
  SELECT conname INTO pk FROM pg_constraint WHERE conrelid = tbl AND contype = 'p';
  IF pk IS NOT NULL THEN EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, pk); END IF;
  EXECUTE format('ALTER TABLE %s ADD PRIMARY KEY (%s)', tbl, cols);
END $f$;

-- 1c. Primary keys and unique constraints of distributed tables include "ProjectId"; foreign
--     keys between them do too. Dropped here, re-created in 3 once the tables are distributed.
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.conrelid::regclass AS tbl, c.conname
    FROM pg_constraint c
    WHERE c.contype = 'f'
      AND c.confrelid IN ('task'::regclass, 'project'::regclass, 'task_status'::regclass,
                          'planning'::regclass, 'risk'::regclass, 'document'::regclass,
                          'notification'::regclass)
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
END $$;

SELECT pg_temp.set_primary_key('task', '"ProjectId", "TaskItemId"');
SELECT pg_temp.set_primary_key('task_status', '"ProjectId", "TaskItemStatusId"');
SELECT pg_temp.set_primary_key('project_defined_field', '"ProjectId", "ProjectDefinedFieldId"');
SELECT pg_temp.set_primary_key('planning', '"ProjectId", "PlanningId"');
SELECT pg_temp.set_primary_key('risk', '"ProjectId", "RiskId"');
SELECT pg_temp.set_primary_key('document', '"ProjectId", "DocumentId"');
SELECT pg_temp.set_primary_key('checklist_item', '"ProjectId", "ChecklistItemId"');
SELECT pg_temp.set_primary_key('task_item_note', '"ProjectId", "TaskItemNoteId"');
SELECT pg_temp.set_primary_key('task_contributor', '"ProjectId", "Id"');
SELECT pg_temp.set_primary_key('time_entry', '"ProjectId", "TimeEntryId"');
SELECT pg_temp.set_primary_key('notification', '"ProjectId", "NotificationId"');
SELECT pg_temp.set_primary_key('webhook_delivery', '"ProjectId", "WebhookDeliveryId"');
SELECT pg_temp.set_primary_key('change_event', '"ProjectId", "Id"');
-- Composite keys that already start with the task gain the project in front.
SELECT pg_temp.set_primary_key('task_follower', '"ProjectId", "TaskItemId", "ContactId"');
SELECT pg_temp.set_primary_key('task_document', '"ProjectId", "TaskItemId", "DocumentId"');
SELECT pg_temp.set_primary_key('task_relation', '"ProjectId", "TaskItemId", "ItemId"');
SELECT pg_temp.set_primary_key('stopwatch', '"ProjectId", "TaskItemId", "ContactId"');
SELECT pg_temp.set_primary_key('project_member', '"ProjectId", "ContactId"');

-- 1d. Templates may have no project: they become a reference table, whose foreign key to a
--     distributed table Citus refuses; the application checks "ProjectId" instead.
DO $$
DECLARE fk name;
BEGIN
  FOR fk IN SELECT conname FROM pg_constraint
            WHERE conrelid = 'task_item_template'::regclass AND confrelid = 'project'::regclass
  LOOP
    EXECUTE format('ALTER TABLE task_item_template DROP CONSTRAINT %I', fk);
  END LOOP;
END $$;

------------------------------------------------------------------------------------------------
-- 2. Reference tables: small, read everywhere, written rarely.
------------------------------------------------------------------------------------------------
SELECT create_reference_table('contact');
SELECT create_reference_table('api_token');        -- looked up by hash on every request
SELECT create_reference_table('calendar_feed');
SELECT create_reference_table('webhook');
SELECT create_reference_table('task_item_template');
-- Local to the coordinator (bookkeeping, never joined with project data):
--   migrations, typeorm_metadata, rate_limit (hot, per-token counters; or distribute by "Key").

------------------------------------------------------------------------------------------------
-- 3. Distributed tables, all co-located with project by "ProjectId".
------------------------------------------------------------------------------------------------
SELECT create_distributed_table('project', 'ProjectId');
SELECT create_distributed_table(t, 'ProjectId', colocate_with => 'project')
FROM unnest(ARRAY['task_status', 'project_defined_field', 'project_member', 'planning', 'risk',
                  'document', 'task', 'checklist_item', 'task_item_note', 'task_contributor',
                  'task_document', 'task_follower', 'task_relation', 'time_entry', 'stopwatch',
                  'notification', 'webhook_delivery', 'change_event']) AS t;

-- Foreign keys again, each through "ProjectId" (co-located: checked on one shard).
ALTER TABLE task ADD FOREIGN KEY ("ProjectId") REFERENCES project ("ProjectId") ON DELETE CASCADE;
ALTER TABLE task ADD FOREIGN KEY ("ProjectId", "TaskItemStatusId") REFERENCES task_status ("ProjectId", "TaskItemStatusId");
ALTER TABLE task ADD FOREIGN KEY ("ProjectId", "PlanningId") REFERENCES planning ("ProjectId", "PlanningId");
ALTER TABLE task ADD FOREIGN KEY ("ProjectId", "RiskId") REFERENCES risk ("ProjectId", "RiskId");
-- (ON DELETE SET NULL of these three would null "ProjectId" too: the application's
--  task_status / planning / risk delete paths null the one column themselves first.)
ALTER TABLE task_status           ADD FOREIGN KEY ("ProjectId") REFERENCES project ("ProjectId") ON DELETE CASCADE;
ALTER TABLE project_defined_field ADD FOREIGN KEY ("ProjectId") REFERENCES project ("ProjectId") ON DELETE CASCADE;
ALTER TABLE project_member        ADD FOREIGN KEY ("ProjectId") REFERENCES project ("ProjectId") ON DELETE CASCADE;
ALTER TABLE planning              ADD FOREIGN KEY ("ProjectId") REFERENCES project ("ProjectId") ON DELETE CASCADE;
ALTER TABLE risk                  ADD FOREIGN KEY ("ProjectId") REFERENCES project ("ProjectId") ON DELETE CASCADE;
ALTER TABLE document              ADD FOREIGN KEY ("ProjectId") REFERENCES project ("ProjectId") ON DELETE CASCADE;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['checklist_item', 'task_item_note', 'task_contributor', 'task_document',
                           'task_follower', 'task_relation', 'time_entry', 'stopwatch', 'notification']
  LOOP
    EXECUTE format('ALTER TABLE %I ADD FOREIGN KEY ("ProjectId", "TaskItemId") REFERENCES task ("ProjectId", "TaskItemId") ON DELETE CASCADE', t);
  END LOOP;
END $$;
ALTER TABLE task_document    ADD FOREIGN KEY ("ProjectId", "DocumentId") REFERENCES document ("ProjectId", "DocumentId") ON DELETE CASCADE;
ALTER TABLE webhook_delivery ADD FOREIGN KEY ("ProjectId", "NotificationId") REFERENCES notification ("ProjectId", "NotificationId") ON DELETE CASCADE;
-- Distributed -> reference foreign keys are allowed as they are (contact, webhook): the ones
-- dropped in 1c only pointed at distributed tables.

COMMIT;

-- Check: every task-side query of a board is routed to one shard.
--   EXPLAIN SELECT * FROM task WHERE "ProjectId" = '…' AND "TaskItemStatusId" = '…';
--   -> "Task Count: 1"
