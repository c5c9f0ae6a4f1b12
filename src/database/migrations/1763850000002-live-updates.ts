import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live updates: the change-event outbox (written by triggers in the changing transaction and
 * announced with NOTIFY, which PostgreSQL delivers only after commit), reminders that re-arm
 * when their time changes, webhooks and their deliveries (queued by a trigger per notification).
 */
export class LiveUpdates1763850000002 implements MigrationInterface {
  name = 'LiveUpdates1763850000002';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "change_event" ("Id" BIGSERIAL NOT NULL, "CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "EntitySet" text NOT NULL, "EntityKey" uuid NOT NULL, "Kind" text NOT NULL, "ProjectId" uuid, "Changes" jsonb NOT NULL DEFAULT '{}', "ETag" text, CONSTRAINT "PK_308ea0a8be51ff58eb99c8fe56a" PRIMARY KEY ("Id"))`,
    );
    await q.query(`CREATE INDEX "IDX_7eb500d7c75888154f2ca7a52c" ON "change_event" ("CreatedDateTime")`);
    await q.query(`CREATE INDEX "IDX_80b29c3a449ac0a8759b4d1c8c" ON "change_event" ("ProjectId")`);
    await q.query(
      `CREATE TABLE "webhook" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "WebhookId" uuid NOT NULL DEFAULT gen_random_uuid(), "ContactId" uuid, "Url" text NOT NULL, "Secret" text NOT NULL, "Kinds" text array NOT NULL DEFAULT '{}', "IsActive" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_e4110aa2625a3fb1ef0bf6de96c" PRIMARY KEY ("WebhookId"))`,
    );
    await q.query(`CREATE INDEX "IDX_d181997b97d0e540bdc1e5bea9" ON "webhook" ("ContactId")`);
    await q.query(
      `CREATE TABLE "webhook_delivery" ("WebhookDeliveryId" uuid NOT NULL DEFAULT gen_random_uuid(), "WebhookId" uuid NOT NULL, "NotificationId" uuid NOT NULL, "Attempts" integer NOT NULL DEFAULT '0', "NextAttemptDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "DeliveredDateTime" TIMESTAMP WITH TIME ZONE, "LastError" text, "LastStatus" integer, "GaveUp" boolean NOT NULL DEFAULT false, "CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ccbfa81b5de26d25eb066746351" PRIMARY KEY ("WebhookDeliveryId"))`,
    );
    await q.query(`CREATE INDEX "IDX_9cd7e4322de870d22aa78d62d7" ON "webhook_delivery" ("WebhookId")`);
    await q.query(
      `CREATE INDEX "IDX_fa12e0f274f9f64695908b78c6" ON "webhook_delivery" ("NextAttemptDateTime") WHERE "DeliveredDateTime" IS NULL AND "GaveUp" = false`,
    );
    await q.query(
      `ALTER TABLE "webhook" ADD CONSTRAINT "FK_d181997b97d0e540bdc1e5bea95" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "webhook_delivery" ADD CONSTRAINT "FK_9cd7e4322de870d22aa78d62d77" FOREIGN KEY ("WebhookId") REFERENCES "webhook"("WebhookId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "webhook_delivery" ADD CONSTRAINT "FK_43288f8ad63eca792824f50b59f" FOREIGN KEY ("NotificationId") REFERENCES "notification"("NotificationId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    await q.query(`CREATE FUNCTION emit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        rec jsonb;
        before jsonb;
        changes jsonb := '{}';
        project uuid;
        kind text;
        event_id bigint;
      BEGIN
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
      END $$`);
    await q.query(
      `CREATE TRIGGER emit_change AFTER INSERT OR UPDATE OR DELETE ON "task" FOR EACH ROW EXECUTE FUNCTION emit_change('Task', 'TaskItemId')`,
    );
    await q.query(
      `CREATE TRIGGER emit_change AFTER INSERT OR UPDATE OR DELETE ON "task_item_note" FOR EACH ROW EXECUTE FUNCTION emit_change('TaskItemNote', 'TaskItemNoteId')`,
    );
    await q.query(
      `CREATE TRIGGER emit_change AFTER INSERT OR UPDATE OR DELETE ON "task_status" FOR EACH ROW EXECUTE FUNCTION emit_change('TaskStatus', 'TaskItemStatusId')`,
    );
    await q.query(
      `CREATE TRIGGER emit_change AFTER INSERT OR UPDATE OR DELETE ON "checklist_item" FOR EACH ROW EXECUTE FUNCTION emit_change('ChecklistItem', 'ChecklistItemId')`,
    );

    // A reminder whose time changes is due again.
    await q.query(`CREATE FUNCTION task_reminder_rearm() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW."ReminderSentDateTime" := NULL;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER task_reminder_rearm BEFORE UPDATE OF "ReminderDateTime" ON "task" FOR EACH ROW
      WHEN (OLD."ReminderDateTime" IS DISTINCT FROM NEW."ReminderDateTime") EXECUTE FUNCTION task_reminder_rearm()`);

    // Every notification is queued for the webhooks that want it.
    await q.query(`CREATE FUNCTION notification_queue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO webhook_delivery ("WebhookId", "NotificationId")
          SELECT w."WebhookId", NEW."NotificationId" FROM webhook w
          WHERE w."IsActive" AND (w."ContactId" = NEW."ContactId" OR w."ContactId" IS NULL)
            AND (cardinality(w."Kinds") = 0 OR NEW."Kind" = ANY (w."Kinds"));
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER notification_queue_webhooks AFTER INSERT ON "notification" FOR EACH ROW EXECUTE FUNCTION notification_queue_webhooks()`,
    );
    await q.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "webhook" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER notification_queue_webhooks ON "notification"`);
    await q.query(`DROP FUNCTION notification_queue_webhooks()`);
    await q.query(`DROP TRIGGER task_reminder_rearm ON "task"`);
    await q.query(`DROP FUNCTION task_reminder_rearm()`);
    for (const t of ['task', 'task_item_note', 'task_status', 'checklist_item'])
      await q.query(`DROP TRIGGER emit_change ON "${t}"`);
    await q.query(`DROP FUNCTION emit_change()`);
    await q.query(`DROP TABLE "webhook_delivery"`);
    await q.query(`DROP TABLE "webhook"`);
    await q.query(`DROP TABLE "change_event"`);
  }
}
