import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DynamicTaskItem as this migration first created it: written out, not derived from the entity,
 * so the migration stays what it was when the entity changes (later columns: 1763850000004).
 */
export const DYNAMIC_TASK_ITEM_VIEW_V1 = `CREATE VIEW dynamic_task_item AS SELECT
  t."TaskItemId" AS "TaskItem_TaskItemId",
  t."Name" AS "TaskItem_Name",
  t."TaskItemStatusId" AS "TaskItem_TaskItemStatusId",
  t."ContactId" AS "TaskItem_ContactId",
  t."ProjectId" AS "TaskItem_ProjectId",
  t."PlanningId" AS "TaskItem_PlanningId",
  t."GroupId" AS "TaskItem_GroupId",
  t."StartDateTime" AS "TaskItem_StartDateTime",
  t."EndDateTime" AS "TaskItem_EndDateTime",
  t."IsDone" AS "TaskItem_IsDone",
  t."DoneDate" AS "TaskItem_DoneDate",
  t."WorkAmount" AS "TaskItem_WorkAmount",
  t."CustomColor" AS "TaskItem_CustomColor",
  t."CardPositionNumber" AS "TaskItem_CardPositionNumber",
  t."DescriptionHTML" AS "TaskItem_DescriptionHTML",
  t."IsBillable" AS "TaskItem_IsBillable",
  t."Recurrence" AS "TaskItem_Recurrence",
  t."AssignedByContactId" AS "TaskItem_AssignedByContactId",
  t."CreatedByContactId" AS "TaskItem_CreatedByContactId",
  t."ContactDisplayName" AS "TaskItem_ContactDisplayName",
  t."ContactImageId" AS "TaskItem_ContactImageId",
  t."RiskId" AS "TaskItem_RiskId",
  t."RiskName" AS "TaskItem_RiskName",
  t."ChecklistItemsCount" AS "TaskItem_ChecklistItemsCount",
  t."CheckListItemsDoneCount" AS "TaskItem_CheckListItemsDoneCount",
  t."CheckListItemsOpenCount" AS "TaskItem_CheckListItemsOpenCount",
  t."ContributorsCount" AS "TaskItem_ContributorsCount",
  t."ContributorsWorkAmount" AS "TaskItem_ContributorsWorkAmount",
  t."WorkAmountOwner" AS "TaskItem_WorkAmountOwner",
  t."ReminderDateTime" AS "TaskItem_ReminderDateTime",
  t."CreatedDateTime" AS "TaskItem_CreatedDateTime",
  t."ModifiedDateTime" AS "TaskItem_ModifiedDateTime",
  p."ProjectId" AS "Project_ProjectId",
  p."Name" AS "Project_Name",
  p."Description" AS "Project_Description",
  p."StartDateTime" AS "Project_StartDateTime",
  p."EndDateTime" AS "Project_EndDateTime",
  p."IsArchived" AS "Project_IsArchived",
  pl."PlanningId" AS "Planning_PlanningId",
  pl."DisplayName" AS "Planning_DisplayName",
  pl."StartDateTime" AS "Planning_StartDateTime",
  pl."EndDateTime" AS "Planning_EndDateTime",
  true AS "Permission_CanEdit",
  true AS "Permission_CanDelete",
  true AS "Permission_IsAdmin",
  t."ProjectDefinedFields" AS "CustomFields"
FROM task t
LEFT JOIN project p ON p."ProjectId" = t."ProjectId"
LEFT JOIN planning pl ON pl."PlanningId" = t."PlanningId"`;

/**
 * The initial schema: tables, keys and foreign keys generated from the entities, plus what
 * TypeORM cannot declare: the row-version sequence behind ETags, triggers that keep computed
 * task properties current, NULLS FIRST and trigram indexes, the DynamicTaskItem view.
 *
 * Deleting: a project takes its tasks, statuses, fields, plannings, risks and documents with
 * it; a task takes its notes, checklist, contributors, relations, followers, document links,
 * time entries and notifications; a contact that is a task's assignee leaves the task
 * unassigned, but a contact who created tasks or notes cannot be deleted (409).
 */
export class InitialSchema1763850000000 implements MigrationInterface {
  name = 'InitialSchema1763850000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // One sequence for every table's "Version": an ETag unique across the database.
    await queryRunner.query(`CREATE SEQUENCE row_version_seq`);
    await queryRunner.query(
      `CREATE TABLE "contact" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "ContactId" uuid NOT NULL DEFAULT gen_random_uuid(), "DisplayName" text NOT NULL DEFAULT '', "Email" text, "ImageId" uuid, CONSTRAINT "PK_1020c4d33f36e7b496363952218" PRIMARY KEY ("ContactId"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "project" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "ProjectId" uuid NOT NULL DEFAULT gen_random_uuid(), "Name" text NOT NULL DEFAULT '', "Description" text, "StartDateTime" TIMESTAMP WITH TIME ZONE, "EndDateTime" TIMESTAMP WITH TIME ZONE, "IsArchived" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_77df1ee56c0fd19700eff20cd6a" PRIMARY KEY ("ProjectId"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "document" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "DocumentId" uuid NOT NULL DEFAULT gen_random_uuid(), "FileName" text NOT NULL DEFAULT '', "ContentType" text, "Url" text, "ProjectId" uuid, CONSTRAINT "PK_c62c6e958af34bdd372066c02d8" PRIMARY KEY ("DocumentId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_f3ed7a1cdf9eab08478910390d" ON "document" ("ProjectId") `);
    await queryRunner.query(
      `CREATE TABLE "task_status" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "TaskItemStatusId" uuid NOT NULL DEFAULT gen_random_uuid(), "Name" text NOT NULL DEFAULT '', "ProjectId" uuid NOT NULL, "OrdinalPosition" integer NOT NULL DEFAULT '0', "Color" integer, "WipLimit" integer, "IsWipLimitHard" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_ce0ea64c4685b65db1af1af38e4" PRIMARY KEY ("TaskItemStatusId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5cb6cd7ffafae3f857e546e2a9" ON "task_status" ("ProjectId", "OrdinalPosition") `,
    );
    await queryRunner.query(
      `CREATE TABLE "planning" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "PlanningId" uuid NOT NULL DEFAULT gen_random_uuid(), "DisplayName" text NOT NULL DEFAULT '', "ProjectId" uuid, "StartDateTime" TIMESTAMP WITH TIME ZONE, "EndDateTime" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_88d445b2bb40d5480783750bef5" PRIMARY KEY ("PlanningId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_87b888a5d59b0af7ee8ffb2fcf" ON "planning" ("ProjectId") `);
    await queryRunner.query(
      `CREATE TABLE "risk" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "RiskId" uuid NOT NULL DEFAULT gen_random_uuid(), "Name" text NOT NULL DEFAULT '', "ProjectId" uuid, "Description" text, CONSTRAINT "PK_55a489ac3df7b5ac05b7020afc0" PRIMARY KEY ("RiskId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ce0baa020e7faea531a567a8cc" ON "risk" ("ProjectId") `);
    await queryRunner.query(
      `CREATE TABLE "task" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "TaskItemId" uuid NOT NULL DEFAULT gen_random_uuid(), "Name" text, "TaskItemStatusId" uuid, "ContactId" uuid, "ProjectId" uuid, "PlanningId" uuid, "GroupId" uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000', "StartDateTime" TIMESTAMP WITH TIME ZONE, "EndDateTime" TIMESTAMP WITH TIME ZONE, "IsDone" boolean NOT NULL DEFAULT false, "DoneDate" TIMESTAMP WITH TIME ZONE, "WorkAmount" double precision NOT NULL DEFAULT '0', "CustomColor" integer, "CardPositionNumber" integer NOT NULL DEFAULT '0', "DescriptionHTML" text, "IsBillable" boolean NOT NULL DEFAULT false, "Recurrence" integer NOT NULL DEFAULT '0', "AssignedByContactId" uuid, "CreatedByContactId" uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000', "ContactDisplayName" text, "ContactImageId" uuid, "RiskId" uuid, "RiskName" text, "ChecklistItemsCount" integer NOT NULL DEFAULT '0', "CheckListItemsDoneCount" integer NOT NULL DEFAULT '0', "CheckListItemsOpenCount" integer NOT NULL DEFAULT '0', "ContributorsCount" integer NOT NULL DEFAULT '0', "ContributorsWorkAmount" double precision NOT NULL DEFAULT '0', "WorkAmountOwner" double precision NOT NULL DEFAULT '0', "ReminderDateTime" TIMESTAMP WITH TIME ZONE, "ReminderSentDateTime" TIMESTAMP WITH TIME ZONE, "Tags" text array NOT NULL DEFAULT '{}', "ModifiedByContactId" uuid, "ProjectDefinedFields" jsonb NOT NULL DEFAULT '{}', "IsCalendarSyncEnabled" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_6b75282f59a5d4dc20ca88426c2" PRIMARY KEY ("TaskItemId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_0ab42b876544c0e52835dba433" ON "task" ("PlanningId") `);
    await queryRunner.query(`CREATE INDEX "IDX_e2298c620774e1fc5ac2e6ee7d" ON "task" ("RiskId") `);
    await queryRunner.query(`CREATE INDEX "IDX_910778d7338558d3c3c2f37e19" ON "task" ("ContactId") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_3cd4357c694659c12e53077d89" ON "task" ("TaskItemStatusId", "CardPositionNumber") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notification" ("NotificationId" uuid NOT NULL DEFAULT gen_random_uuid(), "ContactId" uuid NOT NULL, "TaskItemId" uuid, "Kind" text NOT NULL, "Message" text NOT NULL DEFAULT '', "CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "DeliveredDateTime" TIMESTAMP WITH TIME ZONE, "IsRead" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_60d9e23f36144ef7638638632aa" PRIMARY KEY ("NotificationId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_80ccea5b499fb64be3e958d23b" ON "notification" ("TaskItemId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_fd393c86a41b2ef8f12c49db49" ON "notification" ("ContactId", "CreatedDateTime") `,
    );
    await queryRunner.query(
      `CREATE TABLE "project_defined_field" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "ProjectDefinedFieldId" uuid NOT NULL DEFAULT gen_random_uuid(), "ProjectId" uuid NOT NULL, "FieldName" text NOT NULL, "DisplayName" text NOT NULL DEFAULT '', "Type" text NOT NULL DEFAULT 'String', CONSTRAINT "PK_1e42ebebf9a814a6b9125d635ad" PRIMARY KEY ("ProjectDefinedFieldId"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_570afdd3543e460d9d597f1e97" ON "project_defined_field" ("ProjectId", "FieldName") `,
    );
    await queryRunner.query(
      `CREATE TABLE "task_item_note" ("TaskItemNoteId" uuid NOT NULL DEFAULT gen_random_uuid(), "TaskItemId" uuid NOT NULL, "Note" text NOT NULL DEFAULT '', "NoteHtml" text NOT NULL DEFAULT '', "ShortDescription" text NOT NULL DEFAULT '', "CreateDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "CreatedByContactId" uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000', "ModifiedByContactId" uuid, "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), CONSTRAINT "PK_414cfa40789c6482fbbda44fe8a" PRIMARY KEY ("TaskItemNoteId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d972717aae832517529eb925d4" ON "task_item_note" ("TaskItemId", "CreateDateTime") `,
    );
    await queryRunner.query(
      `CREATE TABLE "task_item_template" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "TaskItemTemplateId" uuid NOT NULL DEFAULT gen_random_uuid(), "Name" text NOT NULL DEFAULT '', "Description" text, "Content" jsonb NOT NULL DEFAULT '{"statuses":[],"tasks":[]}', CONSTRAINT "PK_a1990eae0ac69bcec2df97205dc" PRIMARY KEY ("TaskItemTemplateId"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "calendar_feed" ("ContactId" uuid NOT NULL, "Token" text NOT NULL, "CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_c080a2d2226737de760b1309496" UNIQUE ("Token"), CONSTRAINT "PK_dd78175cfcec8f250b0ea2596a5" PRIMARY KEY ("ContactId"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "checklist_item" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "ChecklistItemId" uuid NOT NULL DEFAULT gen_random_uuid(), "TaskItemId" uuid NOT NULL, "Name" text NOT NULL DEFAULT '', "IsDone" boolean NOT NULL DEFAULT false, "OrdinalPosition" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_9cbe929b4996a1987cbba4ae9de" PRIMARY KEY ("ChecklistItemId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_597cee17a90e85e71da1dc61f9" ON "checklist_item" ("TaskItemId", "OrdinalPosition") `,
    );
    await queryRunner.query(
      `CREATE TABLE "stopwatch" ("TaskItemId" uuid NOT NULL, "ContactId" uuid NOT NULL, "State" text NOT NULL, "FirstStartedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL, "RunningSinceDateTime" TIMESTAMP WITH TIME ZONE, "AccumulatedSeconds" double precision NOT NULL DEFAULT '0', CONSTRAINT "PK_5c6f89212b4abb0df1abd5d5719" PRIMARY KEY ("TaskItemId", "ContactId"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "task_contributor" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "Id" uuid NOT NULL DEFAULT gen_random_uuid(), "TaskItemId" uuid NOT NULL, "ContactId" uuid NOT NULL, "WorkAmount" double precision NOT NULL DEFAULT '0', "IsDone" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_3b7e47f8739c538cc0e8f357f7a" PRIMARY KEY ("Id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ec7960f327cdec1cc8f0dc39a4" ON "task_contributor" ("ContactId") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4afe071bde7280112b58a2719f" ON "task_contributor" ("TaskItemId", "ContactId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "task_relation" ("TaskItemId" uuid NOT NULL, "ItemId" uuid NOT NULL, "ItemType" text NOT NULL, "CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2952cf65e452ac8f49b3860c3c4" PRIMARY KEY ("TaskItemId", "ItemId"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "time_entry" ("CreatedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ModifiedDateTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "Version" bigint NOT NULL DEFAULT nextval('row_version_seq'), "TimeEntryId" uuid NOT NULL DEFAULT gen_random_uuid(), "TaskItemId" uuid NOT NULL, "ContactId" uuid NOT NULL, "StartDateTime" TIMESTAMP WITH TIME ZONE NOT NULL, "EndDateTime" TIMESTAMP WITH TIME ZONE NOT NULL, "DurationMinutes" double precision NOT NULL DEFAULT '0', "IsBillable" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_74cc4920c60c43e518629bbf03f" PRIMARY KEY ("TimeEntryId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_89651b7cae31566e539b145343" ON "time_entry" ("ContactId") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_9a6c4e7df593e6c6df63971313" ON "time_entry" ("TaskItemId", "StartDateTime") `,
    );
    await queryRunner.query(
      `CREATE TABLE "task_document" ("TaskItemId" uuid NOT NULL, "DocumentId" uuid NOT NULL, CONSTRAINT "PK_00efb3c9814eb1a04b6aa926578" PRIMARY KEY ("TaskItemId", "DocumentId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6e85414b9293ee4416783ae6a5" ON "task_document" ("TaskItemId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_22c10bcd845bd47e50b86d5f82" ON "task_document" ("DocumentId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "task_follower" ("TaskItemId" uuid NOT NULL, "ContactId" uuid NOT NULL, CONSTRAINT "PK_c72444306615998bba12b77779b" PRIMARY KEY ("TaskItemId", "ContactId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_1adeceaac4486dd23b338a0bf3" ON "task_follower" ("TaskItemId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8f9703a28421eee5457aa481be" ON "task_follower" ("ContactId") `,
    );
    await queryRunner.query(
      `ALTER TABLE "document" ADD CONSTRAINT "FK_f3ed7a1cdf9eab08478910390dc" FOREIGN KEY ("ProjectId") REFERENCES "project"("ProjectId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_status" ADD CONSTRAINT "FK_4b4970107706314f374d4563fdd" FOREIGN KEY ("ProjectId") REFERENCES "project"("ProjectId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning" ADD CONSTRAINT "FK_87b888a5d59b0af7ee8ffb2fcf9" FOREIGN KEY ("ProjectId") REFERENCES "project"("ProjectId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "risk" ADD CONSTRAINT "FK_ce0baa020e7faea531a567a8cc5" FOREIGN KEY ("ProjectId") REFERENCES "project"("ProjectId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task" ADD CONSTRAINT "FK_d9743d0e852cf87bf21689f80ae" FOREIGN KEY ("ProjectId") REFERENCES "project"("ProjectId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task" ADD CONSTRAINT "FK_e239d4595c6cf07a128f5068f82" FOREIGN KEY ("TaskItemStatusId") REFERENCES "task_status"("TaskItemStatusId") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task" ADD CONSTRAINT "FK_910778d7338558d3c3c2f37e19d" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task" ADD CONSTRAINT "FK_eeff646d5032f9a79cf9fcf0c45" FOREIGN KEY ("AssignedByContactId") REFERENCES "contact"("ContactId") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task" ADD CONSTRAINT "FK_7d44cb62661cef4248524b68d02" FOREIGN KEY ("CreatedByContactId") REFERENCES "contact"("ContactId") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task" ADD CONSTRAINT "FK_0ab42b876544c0e52835dba4336" FOREIGN KEY ("PlanningId") REFERENCES "planning"("PlanningId") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task" ADD CONSTRAINT "FK_e2298c620774e1fc5ac2e6ee7dd" FOREIGN KEY ("RiskId") REFERENCES "risk"("RiskId") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification" ADD CONSTRAINT "FK_0c5b00d941297b26b7f8ffc0725" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification" ADD CONSTRAINT "FK_80ccea5b499fb64be3e958d23b9" FOREIGN KEY ("TaskItemId") REFERENCES "task"("TaskItemId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "project_defined_field" ADD CONSTRAINT "FK_bf1fff3313ae6a04de94296ac62" FOREIGN KEY ("ProjectId") REFERENCES "project"("ProjectId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_item_note" ADD CONSTRAINT "FK_2416053751fdbb5a9ba6d37c781" FOREIGN KEY ("TaskItemId") REFERENCES "task"("TaskItemId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_item_note" ADD CONSTRAINT "FK_1d5b24986e76ad05afe8e03283d" FOREIGN KEY ("CreatedByContactId") REFERENCES "contact"("ContactId") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "calendar_feed" ADD CONSTRAINT "FK_dd78175cfcec8f250b0ea2596a5" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "checklist_item" ADD CONSTRAINT "FK_e9eed2eaa4fce3bd24ef7658c0c" FOREIGN KEY ("TaskItemId") REFERENCES "task"("TaskItemId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stopwatch" ADD CONSTRAINT "FK_5835d2f58d998cf565998065664" FOREIGN KEY ("TaskItemId") REFERENCES "task"("TaskItemId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stopwatch" ADD CONSTRAINT "FK_1669c61a38d8d1a2b4b40b559be" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_contributor" ADD CONSTRAINT "FK_d3b7ff1122772bf99f1b11a639d" FOREIGN KEY ("TaskItemId") REFERENCES "task"("TaskItemId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_contributor" ADD CONSTRAINT "FK_ec7960f327cdec1cc8f0dc39a41" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_relation" ADD CONSTRAINT "FK_90868c7115fa1924ef0406be0cd" FOREIGN KEY ("TaskItemId") REFERENCES "task"("TaskItemId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "time_entry" ADD CONSTRAINT "FK_97d0aa91f04a12c908533625c74" FOREIGN KEY ("TaskItemId") REFERENCES "task"("TaskItemId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "time_entry" ADD CONSTRAINT "FK_89651b7cae31566e539b1453436" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_document" ADD CONSTRAINT "FK_6e85414b9293ee4416783ae6a51" FOREIGN KEY ("TaskItemId") REFERENCES "task"("TaskItemId") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_document" ADD CONSTRAINT "FK_22c10bcd845bd47e50b86d5f822" FOREIGN KEY ("DocumentId") REFERENCES "document"("DocumentId") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_follower" ADD CONSTRAINT "FK_1adeceaac4486dd23b338a0bf38" FOREIGN KEY ("TaskItemId") REFERENCES "task"("TaskItemId") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_follower" ADD CONSTRAINT "FK_8f9703a28421eee5457aa481be7" FOREIGN KEY ("ContactId") REFERENCES "contact"("ContactId") ON DELETE CASCADE ON UPDATE CASCADE`,
    );

    await queryRunner.query(
      `ALTER TABLE "project_defined_field" ADD CONSTRAINT "CHK_project_defined_field_type" CHECK ("Type" IN ('String', 'Number', 'Date', 'Boolean'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_relation" ADD CONSTRAINT "CHK_task_relation_item_type" CHECK ("ItemType" IN ('Task', 'Project', 'Document', 'Contact'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "stopwatch" ADD CONSTRAINT "CHK_stopwatch_state" CHECK ("State" IN ('Running', 'Paused'))`,
    );
    // OData sorts nulls first ascending: these indexes serve ORDER BY ... NULLS FIRST, key.
    await queryRunner.query(
      `CREATE INDEX "IDX_task_project_end" ON "task" ("ProjectId", "EndDateTime" NULLS FIRST, "TaskItemId")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_task_end" ON "task" ("EndDateTime" NULLS FIRST, "TaskItemId")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_task_reminder_due" ON "task" ("ReminderDateTime") WHERE "ReminderSentDateTime" IS NULL AND "ReminderDateTime" IS NOT NULL`,
    );
    // contains(Name,'x') becomes LIKE '%x%': a trigram index serves it.
    await queryRunner.query(`CREATE INDEX "IDX_task_name_trgm" ON "task" USING gin ("Name" gin_trgm_ops)`);

    // The system contact that stands for the service itself (CreatedByContactId default).
    await queryRunner.query(
      `INSERT INTO "contact" ("ContactId", "DisplayName") VALUES ('00000000-0000-0000-0000-000000000000', 'System')`,
    );

    // Version and ModifiedDateTime change with every real update.
    await queryRunner.query(`CREATE FUNCTION touch_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW."Version" := nextval('row_version_seq');
        NEW."ModifiedDateTime" := now();
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "contact" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "project" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "document" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "task_status" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "planning" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "risk" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "project_defined_field" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "task" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "task_item_note" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "checklist_item" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "time_entry" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "task_contributor" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER touch_row BEFORE UPDATE ON "task_item_template" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_row()`,
    );

    // Task properties computed by the service: DoneDate, the assignee's and risk's names.
    await queryRunner.query(`CREATE FUNCTION task_derive() RETURNS trigger LANGUAGE plpgsql AS $$
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
        IF TG_OP = 'INSERT' OR NEW."ContactId" IS DISTINCT FROM OLD."ContactId" THEN
          SELECT c."DisplayName", c."ImageId" INTO NEW."ContactDisplayName", NEW."ContactImageId"
            FROM contact c WHERE c."ContactId" = NEW."ContactId";
          IF NEW."ContactId" IS NULL THEN NEW."ContactDisplayName" := NULL; NEW."ContactImageId" := NULL; END IF;
        END IF;
        IF TG_OP = 'INSERT' OR NEW."RiskId" IS DISTINCT FROM OLD."RiskId" THEN
          SELECT r."Name" INTO NEW."RiskName" FROM risk r WHERE r."RiskId" = NEW."RiskId";
          IF NEW."RiskId" IS NULL THEN NEW."RiskName" := NULL; END IF;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER task_derive BEFORE INSERT OR UPDATE ON "task" FOR EACH ROW EXECUTE FUNCTION task_derive()`,
    );

    await queryRunner.query(`CREATE FUNCTION contact_refresh_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task SET "ContactDisplayName" = NEW."DisplayName", "ContactImageId" = NEW."ImageId"
          WHERE "ContactId" = NEW."ContactId";
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER contact_refresh_tasks AFTER UPDATE OF "DisplayName", "ImageId" ON "contact" FOR EACH ROW
      WHEN (OLD."DisplayName" IS DISTINCT FROM NEW."DisplayName" OR OLD."ImageId" IS DISTINCT FROM NEW."ImageId") EXECUTE FUNCTION contact_refresh_tasks()`);
    await queryRunner.query(`CREATE FUNCTION risk_refresh_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task SET "RiskName" = NEW."Name" WHERE "RiskId" = NEW."RiskId";
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER risk_refresh_tasks AFTER UPDATE OF "Name" ON "risk" FOR EACH ROW
      WHEN (OLD."Name" IS DISTINCT FROM NEW."Name") EXECUTE FUNCTION risk_refresh_tasks()`);

    // Live aggregates: checklist and contributor counts on the task row.
    await queryRunner.query(`CREATE FUNCTION task_refresh_aggregates(id uuid) RETURNS void LANGUAGE sql AS $$
      UPDATE task t SET
        "ChecklistItemsCount" = c.total, "CheckListItemsDoneCount" = c.done, "CheckListItemsOpenCount" = c.total - c.done,
        "ContributorsCount" = k.n, "ContributorsWorkAmount" = k.work
      FROM (SELECT count(*)::int AS total, count(*) FILTER (WHERE "IsDone")::int AS done FROM checklist_item WHERE "TaskItemId" = id) c,
           (SELECT count(*)::int AS n, COALESCE(sum("WorkAmount"), 0) AS work FROM task_contributor WHERE "TaskItemId" = id) k
      WHERE t."TaskItemId" = id
    $$`);
    await queryRunner.query(`CREATE FUNCTION task_children_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM task_refresh_aggregates(OLD."TaskItemId"); END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."TaskItemId" IS DISTINCT FROM OLD."TaskItemId") THEN
          PERFORM task_refresh_aggregates(NEW."TaskItemId");
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER checklist_changed AFTER INSERT OR UPDATE OR DELETE ON "checklist_item" FOR EACH ROW EXECUTE FUNCTION task_children_changed()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER contributor_changed AFTER INSERT OR UPDATE OR DELETE ON "task_contributor" FOR EACH ROW EXECUTE FUNCTION task_children_changed()`,
    );

    // Deleting a Kanban column moves its cards to the end of the project's first remaining
    // column (by OrdinalPosition), or to none.
    await queryRunner.query(`CREATE FUNCTION task_status_before_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE target uuid; last int;
      BEGIN
        SELECT s."TaskItemStatusId" INTO target FROM task_status s
          WHERE s."ProjectId" = OLD."ProjectId" AND s."TaskItemStatusId" <> OLD."TaskItemStatusId"
          ORDER BY s."OrdinalPosition", s."TaskItemStatusId" LIMIT 1;
        IF target IS NULL THEN
          UPDATE task SET "TaskItemStatusId" = NULL WHERE "TaskItemStatusId" = OLD."TaskItemStatusId";
        ELSE
          SELECT COALESCE(max("CardPositionNumber"), 0) INTO last FROM task WHERE "TaskItemStatusId" = target;
          UPDATE task t SET "TaskItemStatusId" = target, "CardPositionNumber" = last + m.rn
            FROM (SELECT "TaskItemId", row_number() OVER (ORDER BY "CardPositionNumber", "TaskItemId") AS rn
                  FROM task WHERE "TaskItemStatusId" = OLD."TaskItemStatusId") m
            WHERE t."TaskItemId" = m."TaskItemId";
        END IF;
        RETURN OLD;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER task_status_before_delete BEFORE DELETE ON "task_status" FOR EACH ROW EXECUTE FUNCTION task_status_before_delete()`,
    );

    // Notifications: the new assignee, and the followers of a task that changed.
    await queryRunner.query(`CREATE FUNCTION task_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."ContactId" IS NOT NULL AND NEW."ContactId" IS DISTINCT FROM OLD."ContactId" THEN
          INSERT INTO notification ("ContactId", "TaskItemId", "Kind", "Message")
          VALUES (NEW."ContactId", NEW."TaskItemId", 'Assigned', 'You were assigned "' || COALESCE(NEW."Name", '') || '"');
        END IF;
        INSERT INTO notification ("ContactId", "TaskItemId", "Kind", "Message")
          SELECT f."ContactId", NEW."TaskItemId", 'FollowedTaskChanged', '"' || COALESCE(NEW."Name", '') || '" was changed'
          FROM task_follower f
          WHERE f."TaskItemId" = NEW."TaskItemId" AND f."ContactId" IS DISTINCT FROM NEW."ModifiedByContactId";
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER task_notify AFTER UPDATE ON "task" FOR EACH ROW WHEN (
        OLD."Name" IS DISTINCT FROM NEW."Name" OR OLD."DescriptionHTML" IS DISTINCT FROM NEW."DescriptionHTML"
        OR OLD."TaskItemStatusId" IS DISTINCT FROM NEW."TaskItemStatusId" OR OLD."IsDone" IS DISTINCT FROM NEW."IsDone"
        OR OLD."ContactId" IS DISTINCT FROM NEW."ContactId" OR OLD."StartDateTime" IS DISTINCT FROM NEW."StartDateTime"
        OR OLD."EndDateTime" IS DISTINCT FROM NEW."EndDateTime" OR OLD."WorkAmount" IS DISTINCT FROM NEW."WorkAmount"
        OR OLD."ProjectId" IS DISTINCT FROM NEW."ProjectId") EXECUTE FUNCTION task_notify()`);

    await queryRunner.query(DYNAMIC_TASK_ITEM_VIEW_V1);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW "dynamic_task_item"`);
    await queryRunner.query(`ALTER TABLE "task_follower" DROP CONSTRAINT "FK_8f9703a28421eee5457aa481be7"`);
    await queryRunner.query(`ALTER TABLE "task_follower" DROP CONSTRAINT "FK_1adeceaac4486dd23b338a0bf38"`);
    await queryRunner.query(`ALTER TABLE "task_document" DROP CONSTRAINT "FK_22c10bcd845bd47e50b86d5f822"`);
    await queryRunner.query(`ALTER TABLE "task_document" DROP CONSTRAINT "FK_6e85414b9293ee4416783ae6a51"`);
    await queryRunner.query(`ALTER TABLE "time_entry" DROP CONSTRAINT "FK_89651b7cae31566e539b1453436"`);
    await queryRunner.query(`ALTER TABLE "time_entry" DROP CONSTRAINT "FK_97d0aa91f04a12c908533625c74"`);
    await queryRunner.query(`ALTER TABLE "task_relation" DROP CONSTRAINT "FK_90868c7115fa1924ef0406be0cd"`);
    await queryRunner.query(
      `ALTER TABLE "task_contributor" DROP CONSTRAINT "FK_ec7960f327cdec1cc8f0dc39a41"`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_contributor" DROP CONSTRAINT "FK_d3b7ff1122772bf99f1b11a639d"`,
    );
    await queryRunner.query(`ALTER TABLE "stopwatch" DROP CONSTRAINT "FK_1669c61a38d8d1a2b4b40b559be"`);
    await queryRunner.query(`ALTER TABLE "stopwatch" DROP CONSTRAINT "FK_5835d2f58d998cf565998065664"`);
    await queryRunner.query(`ALTER TABLE "checklist_item" DROP CONSTRAINT "FK_e9eed2eaa4fce3bd24ef7658c0c"`);
    await queryRunner.query(`ALTER TABLE "calendar_feed" DROP CONSTRAINT "FK_dd78175cfcec8f250b0ea2596a5"`);
    await queryRunner.query(`ALTER TABLE "task_item_note" DROP CONSTRAINT "FK_1d5b24986e76ad05afe8e03283d"`);
    await queryRunner.query(`ALTER TABLE "task_item_note" DROP CONSTRAINT "FK_2416053751fdbb5a9ba6d37c781"`);
    await queryRunner.query(
      `ALTER TABLE "project_defined_field" DROP CONSTRAINT "FK_bf1fff3313ae6a04de94296ac62"`,
    );
    await queryRunner.query(`ALTER TABLE "notification" DROP CONSTRAINT "FK_80ccea5b499fb64be3e958d23b9"`);
    await queryRunner.query(`ALTER TABLE "notification" DROP CONSTRAINT "FK_0c5b00d941297b26b7f8ffc0725"`);
    await queryRunner.query(`ALTER TABLE "task" DROP CONSTRAINT "FK_e2298c620774e1fc5ac2e6ee7dd"`);
    await queryRunner.query(`ALTER TABLE "task" DROP CONSTRAINT "FK_0ab42b876544c0e52835dba4336"`);
    await queryRunner.query(`ALTER TABLE "task" DROP CONSTRAINT "FK_7d44cb62661cef4248524b68d02"`);
    await queryRunner.query(`ALTER TABLE "task" DROP CONSTRAINT "FK_eeff646d5032f9a79cf9fcf0c45"`);
    await queryRunner.query(`ALTER TABLE "task" DROP CONSTRAINT "FK_910778d7338558d3c3c2f37e19d"`);
    await queryRunner.query(`ALTER TABLE "task" DROP CONSTRAINT "FK_e239d4595c6cf07a128f5068f82"`);
    await queryRunner.query(`ALTER TABLE "task" DROP CONSTRAINT "FK_d9743d0e852cf87bf21689f80ae"`);
    await queryRunner.query(`ALTER TABLE "risk" DROP CONSTRAINT "FK_ce0baa020e7faea531a567a8cc5"`);
    await queryRunner.query(`ALTER TABLE "planning" DROP CONSTRAINT "FK_87b888a5d59b0af7ee8ffb2fcf9"`);
    await queryRunner.query(`ALTER TABLE "task_status" DROP CONSTRAINT "FK_4b4970107706314f374d4563fdd"`);
    await queryRunner.query(`ALTER TABLE "document" DROP CONSTRAINT "FK_f3ed7a1cdf9eab08478910390dc"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8f9703a28421eee5457aa481be"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1adeceaac4486dd23b338a0bf3"`);
    await queryRunner.query(`DROP TABLE "task_follower"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_22c10bcd845bd47e50b86d5f82"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6e85414b9293ee4416783ae6a5"`);
    await queryRunner.query(`DROP TABLE "task_document"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9a6c4e7df593e6c6df63971313"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_89651b7cae31566e539b145343"`);
    await queryRunner.query(`DROP TABLE "time_entry"`);
    await queryRunner.query(`DROP TABLE "task_relation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4afe071bde7280112b58a2719f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ec7960f327cdec1cc8f0dc39a4"`);
    await queryRunner.query(`DROP TABLE "task_contributor"`);
    await queryRunner.query(`DROP TABLE "stopwatch"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_597cee17a90e85e71da1dc61f9"`);
    await queryRunner.query(`DROP TABLE "checklist_item"`);
    await queryRunner.query(`DROP TABLE "calendar_feed"`);
    await queryRunner.query(`DROP TABLE "task_item_template"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d972717aae832517529eb925d4"`);
    await queryRunner.query(`DROP TABLE "task_item_note"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_570afdd3543e460d9d597f1e97"`);
    await queryRunner.query(`DROP TABLE "project_defined_field"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fd393c86a41b2ef8f12c49db49"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_80ccea5b499fb64be3e958d23b"`);
    await queryRunner.query(`DROP TABLE "notification"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3cd4357c694659c12e53077d89"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_910778d7338558d3c3c2f37e19"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e2298c620774e1fc5ac2e6ee7d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0ab42b876544c0e52835dba433"`);
    await queryRunner.query(`DROP TABLE "task"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ce0baa020e7faea531a567a8cc"`);
    await queryRunner.query(`DROP TABLE "risk"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_87b888a5d59b0af7ee8ffb2fcf"`);
    await queryRunner.query(`DROP TABLE "planning"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5cb6cd7ffafae3f857e546e2a9"`);
    await queryRunner.query(`DROP TABLE "task_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f3ed7a1cdf9eab08478910390d"`);
    await queryRunner.query(`DROP TABLE "document"`);
    await queryRunner.query(`DROP TABLE "project"`);
    await queryRunner.query(`DROP TABLE "contact"`);
    await queryRunner.query(`DROP FUNCTION task_notify()`);
    await queryRunner.query(`DROP FUNCTION task_status_before_delete()`);
    await queryRunner.query(`DROP FUNCTION task_children_changed()`);
    await queryRunner.query(`DROP FUNCTION task_refresh_aggregates(uuid)`);
    await queryRunner.query(`DROP FUNCTION risk_refresh_tasks()`);
    await queryRunner.query(`DROP FUNCTION contact_refresh_tasks()`);
    await queryRunner.query(`DROP FUNCTION task_derive()`);
    await queryRunner.query(`DROP FUNCTION touch_row()`);
    await queryRunner.query(`DROP SEQUENCE row_version_seq`);
  }
}
