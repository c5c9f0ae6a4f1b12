import { Column, ColumnType, Entity, PrimaryColumn } from 'typeorm';
import { EntitySet, ODataIgnore } from '../../odata/model/odata.decorators';

/**
 * The seed's flattened, read-only list view: every task, project and planning property
 * prefixed (TaskItem_Name, Project_Name, Planning_DisplayName, ...), the caller's
 * permissions, and one CF_<FieldName> dynamic property per project-defined field value.
 *
 * The columns below and the SQL view (DYNAMIC_TASK_ITEM_VIEW, created by a migration) come
 * from the one list here, so they cannot drift apart.
 */
type Col = [name: string, type: ColumnType, nullable: boolean];

const TASK: Col[] = [
  ['TaskItemId', 'uuid', false], ['Name', 'text', true], ['TaskItemStatusId', 'uuid', true], ['ContactId', 'uuid', true],
  ['ProjectId', 'uuid', true], ['PlanningId', 'uuid', true], ['GroupId', 'uuid', false], ['StartDateTime', 'timestamptz', true],
  ['EndDateTime', 'timestamptz', true], ['IsDone', 'boolean', false], ['DoneDate', 'timestamptz', true], ['WorkAmount', 'double precision', false],
  ['CustomColor', 'integer', true], ['CardPositionNumber', 'integer', false], ['DescriptionHTML', 'text', true], ['IsBillable', 'boolean', false],
  ['Recurrence', 'integer', false], ['AssignedByContactId', 'uuid', true], ['CreatedByContactId', 'uuid', false],
  ['ContactDisplayName', 'text', true], ['ContactImageId', 'uuid', true], ['RiskId', 'uuid', true], ['RiskName', 'text', true],
  ['ChecklistItemsCount', 'integer', false], ['CheckListItemsDoneCount', 'integer', false], ['CheckListItemsOpenCount', 'integer', false],
  ['ContributorsCount', 'integer', false], ['ContributorsWorkAmount', 'double precision', false], ['WorkAmountOwner', 'double precision', false],
  ['ReminderDateTime', 'timestamptz', true], ['CreatedDateTime', 'timestamptz', false], ['ModifiedDateTime', 'timestamptz', false],
];
const PROJECT: Col[] = [
  ['ProjectId', 'uuid', true], ['Name', 'text', true], ['Description', 'text', true], ['StartDateTime', 'timestamptz', true],
  ['EndDateTime', 'timestamptz', true], ['IsArchived', 'boolean', true],
];
const PLANNING: Col[] = [
  ['PlanningId', 'uuid', true], ['DisplayName', 'text', true], ['StartDateTime', 'timestamptz', true], ['EndDateTime', 'timestamptz', true],
];

/** The view: one row per task, joined to its project and planning. */
export const DYNAMIC_TASK_ITEM_VIEW = `CREATE VIEW dynamic_task_item AS SELECT
  ${[
    ...TASK.map(([c]) => `t."${c}" AS "TaskItem_${c}"`),
    ...PROJECT.map(([c]) => `p."${c}" AS "Project_${c}"`),
    ...PLANNING.map(([c]) => `pl."${c}" AS "Planning_${c}"`),
    // REVISIT: the caller's real rights once project permissions exist.
    'true AS "Permission_CanEdit"', 'true AS "Permission_CanDelete"', 'true AS "Permission_IsAdmin"',
    't."ProjectDefinedFields" AS "CustomFields"',
  ].join(',\n  ')}
FROM task t
LEFT JOIN project p ON p."ProjectId" = t."ProjectId"
LEFT JOIN planning pl ON pl."PlanningId" = t."PlanningId"`;

@Entity({ name: 'dynamic_task_item', synchronize: false })
@EntitySet('DynamicTaskItem', { readOnly: true, openType: true, dynamicPrefix: 'CF_' })
export class DynamicTaskItem {
  @PrimaryColumn({ type: 'uuid' }) TaskItem_TaskItemId!: string;
  /** Values of the project-defined fields; exposed as CF_<FieldName> dynamic properties. */
  @ODataIgnore() @Column({ type: 'jsonb' }) CustomFields!: Record<string, unknown>;
}

// The prefixed columns, declared from the lists above.
for (const [prefix, cols] of [['TaskItem_', TASK], ['Project_', PROJECT], ['Planning_', PLANNING]] as const) {
  for (const [name, type, nullable] of cols) {
    if (prefix + name === 'TaskItem_TaskItemId') continue;
    Column({ type, nullable })(DynamicTaskItem.prototype, prefix + name);
  }
}
for (const name of ['Permission_CanEdit', 'Permission_CanDelete', 'Permission_IsAdmin']) {
  Column({ type: 'boolean' })(DynamicTaskItem.prototype, name);
}
