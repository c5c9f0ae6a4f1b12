import { Column, ColumnType, Entity, PrimaryColumn } from 'typeorm';
import { EntitySet, ODataIgnore } from '../../odata/model/odata.decorators';

/**
 * The seed's flattened, read-only list view: every task, project and planning property
 * prefixed (TaskItem_Name, Project_Name, Planning_DisplayName, ...), the caller's
 * permissions, and one CF_<FieldName> dynamic property per project-defined field value.
 *
 * It maps the SQL view `dynamic_task_item`, which the migrations create (the latest
 * definition: 1763850000008-ownership.ts). A property added to Task, Project
 * or Planning needs a line here and a migration that appends it to the view;
 * test/database/schema.e2e-spec.ts fails while the two differ.
 */
type Col = [name: string, type: ColumnType, nullable: boolean, array?: boolean];

const TASK: Col[] = [
  ['TaskItemId', 'uuid', false],
  ['Name', 'text', true],
  ['TaskItemStatusId', 'uuid', true],
  ['ContactId', 'uuid', true],
  ['ProjectId', 'uuid', true],
  ['PlanningId', 'uuid', true],
  ['GroupId', 'uuid', false],
  ['StartDateTime', 'timestamptz', true],
  ['EndDateTime', 'timestamptz', true],
  ['IsDone', 'boolean', false],
  ['DoneDate', 'timestamptz', true],
  ['WorkAmount', 'double precision', false],
  ['CustomColor', 'integer', true],
  ['CardPositionNumber', 'integer', false],
  ['DescriptionHTML', 'text', true],
  ['IsBillable', 'boolean', false],
  ['Recurrence', 'integer', false],
  ['AssignedByContactId', 'uuid', true],
  ['CreatedByContactId', 'uuid', false],
  ['ContactDisplayName', 'text', true],
  ['ContactImageId', 'uuid', true],
  ['RiskId', 'uuid', true],
  ['RiskName', 'text', true],
  ['ChecklistItemsCount', 'integer', false],
  ['CheckListItemsDoneCount', 'integer', false],
  ['CheckListItemsOpenCount', 'integer', false],
  ['ContributorsCount', 'integer', false],
  ['ContributorsWorkAmount', 'double precision', false],
  ['WorkAmountOwner', 'double precision', false],
  ['ReminderDateTime', 'timestamptz', true],
  ['ReminderSentDateTime', 'timestamptz', true],
  ['Tags', 'text', false, true],
  ['ModifiedByContactId', 'uuid', true],
  ['CreatedDateTime', 'timestamptz', false],
  ['ModifiedDateTime', 'timestamptz', false],
];
// A task without a project or planning has nulls here (LEFT JOIN): all nullable.
const PROJECT: Col[] = [
  ['ProjectId', 'uuid', true],
  ['Name', 'text', true],
  ['Description', 'text', true],
  ['StartDateTime', 'timestamptz', true],
  ['EndDateTime', 'timestamptz', true],
  ['IsArchived', 'boolean', true],
  ['CreatedDateTime', 'timestamptz', true],
  ['ModifiedDateTime', 'timestamptz', true],
];
const PLANNING: Col[] = [
  ['PlanningId', 'uuid', true],
  ['DisplayName', 'text', true],
  ['ProjectId', 'uuid', true],
  ['StartDateTime', 'timestamptz', true],
  ['EndDateTime', 'timestamptz', true],
  ['CreatedDateTime', 'timestamptz', true],
  ['ModifiedDateTime', 'timestamptz', true],
  ['CreatedByContactId', 'uuid', true],
];

@Entity({ name: 'dynamic_task_item', synchronize: false })
@EntitySet('DynamicTaskItem', { readOnly: true, openType: true, dynamicPrefix: 'CF_' })
export class DynamicTaskItem {
  @PrimaryColumn({ type: 'uuid' }) TaskItem_TaskItemId!: string;
  /** Values of the project-defined fields; exposed as CF_<FieldName> dynamic properties. */
  @ODataIgnore() @Column({ type: 'jsonb' }) CustomFields!: Record<string, unknown>;
}

// The prefixed columns, declared from the lists above.
for (const [prefix, cols] of [
  ['TaskItem_', TASK],
  ['Project_', PROJECT],
  ['Planning_', PLANNING],
] as const) {
  for (const [name, type, nullable, array] of cols) {
    if (prefix + name === 'TaskItem_TaskItemId') continue;
    Column({ type, nullable, array: array ?? false })(DynamicTaskItem.prototype, prefix + name);
  }
}
// The caller's rights on the task's project: the view answers true, the access policy
// (features/access/project-access.policy.ts) replaces them per caller in every query.
for (const name of ['Permission_CanEdit', 'Permission_CanDelete', 'Permission_IsAdmin']) {
  Column({ type: 'boolean' })(DynamicTaskItem.prototype, name);
}
