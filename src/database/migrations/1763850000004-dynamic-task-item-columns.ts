import { MigrationInterface, QueryRunner } from 'typeorm';
import { DYNAMIC_TASK_ITEM_VIEW_V1 } from './1763850000000-initial-schema';

/**
 * DynamicTaskItem gets the Task, Project and Planning properties the first view left out
 * (API.md: "every Task, Project, Planning and permission property prefixed"). CREATE OR
 * REPLACE VIEW may only append columns, so they come after CustomFields.
 */
export const DYNAMIC_TASK_ITEM_VIEW_V2 = `CREATE OR REPLACE VIEW dynamic_task_item AS SELECT
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
  t."ProjectDefinedFields" AS "CustomFields",
  t."ReminderSentDateTime" AS "TaskItem_ReminderSentDateTime",
  t."Tags" AS "TaskItem_Tags",
  t."ModifiedByContactId" AS "TaskItem_ModifiedByContactId",
  p."CreatedDateTime" AS "Project_CreatedDateTime",
  p."ModifiedDateTime" AS "Project_ModifiedDateTime",
  pl."ProjectId" AS "Planning_ProjectId",
  pl."CreatedDateTime" AS "Planning_CreatedDateTime",
  pl."ModifiedDateTime" AS "Planning_ModifiedDateTime"
FROM task t
LEFT JOIN project p ON p."ProjectId" = t."ProjectId"
LEFT JOIN planning pl ON pl."PlanningId" = t."PlanningId"`;

export class DynamicTaskItemColumns1763850000004 implements MigrationInterface {
  name = 'DynamicTaskItemColumns1763850000004';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(DYNAMIC_TASK_ITEM_VIEW_V2);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "dynamic_task_item"`);
    await q.query(DYNAMIC_TASK_ITEM_VIEW_V1);
  }
}
