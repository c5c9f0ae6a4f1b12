import {
  Column,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Computed, EntitySet, ODataIgnore } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Project } from '../project/project.entity';
import { Contact } from '../contact/contact.entity';
import { TaskStatus } from '../task-status/task-status.entity';
import { Planning } from '../project/planning.entity';
import { Risk } from '../project/risk.entity';
import { Document } from '../document/document.entity';
import type { TaskItemNote } from '../task-item-note/task-item-note.entity';
import type { ChecklistItem } from './checklist-item.entity';
import type { TimeEntry } from './time-entry.entity';
import type { TaskContributor } from './task-contributor.entity';
import type { TaskRelation } from './task-relation.entity';

/**
 * The seed's Task (ApiTask/TaskItem) plus the contract's "Beyond the seed" properties.
 * The display names and the checklist/contributor aggregates are kept current by database
 * triggers (see the initial migration), so a million-row feed reads them as plain columns.
 * Indexes that need NULLS FIRST (OData sorts nulls first) or trigram operators are created
 * by the migration, not declared here.
 */
@Entity('task')
@Index('IDX_task_CreatedByContactId', ['CreatedByContactId'])
@Index('IDX_task_AssignedByContactId', ['AssignedByContactId'])
@Index(['TaskItemStatusId', 'CardPositionNumber'])
@Index(['ContactId'])
@EntitySet('Task', {
  searchable: ['Name', 'DescriptionHTML'],
  // "SearchVector": name and description, a generated column with a GIN index (migration).
  fullText: { vector: 'SearchVector', config: 'simple', via: ['Notes'] },
})
export class Task extends Tracked {
  @PrimaryGeneratedColumn('uuid') TaskItemId!: string;
  @Column({ type: 'text', nullable: true }) Name!: string | null;
  @Column({ type: 'uuid', nullable: true }) TaskItemStatusId!: string | null;
  @Column({ type: 'uuid', nullable: true }) ContactId!: string | null;
  @Column({ type: 'uuid', nullable: true }) ProjectId!: string | null;
  @Index() @Column({ type: 'uuid', nullable: true }) PlanningId!: string | null;
  @Column({ type: 'uuid', default: () => "'00000000-0000-0000-0000-000000000000'" }) GroupId!: string;
  @Column({ type: 'timestamptz', nullable: true }) StartDateTime!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) EndDateTime!: Date | null;
  @Column({ type: 'boolean', default: false }) IsDone!: boolean;
  @Computed() @Column({ type: 'timestamptz', nullable: true }) DoneDate!: Date | null;
  @Column({ type: 'double precision', default: 0 }) WorkAmount!: number;
  @Column({ type: 'integer', nullable: true }) CustomColor!: number | null;
  @Column({ type: 'integer', default: 0 }) CardPositionNumber!: number;
  @Column({ type: 'text', nullable: true }) DescriptionHTML!: string | null;
  @Column({ type: 'boolean', default: false }) IsBillable!: boolean;
  /** 0 none, 1 daily, 2 Monday to Friday, 3 weekly, 4 monthly, 5 yearly, 6 biweekly, 7 quarterly. */
  @Column({ type: 'integer', default: 0 }) Recurrence!: number;
  @Column({ type: 'uuid', nullable: true }) AssignedByContactId!: string | null;
  /** The caller who created it (from the token; never from the body). */
  @Computed()
  @Column({ type: 'uuid', default: () => "'00000000-0000-0000-0000-000000000000'" })
  CreatedByContactId!: string;
  @Computed() @Column({ type: 'text', nullable: true }) ContactDisplayName!: string | null;
  @Computed() @Column({ type: 'uuid', nullable: true }) ContactImageId!: string | null;
  @Index() @Column({ type: 'uuid', nullable: true }) RiskId!: string | null;
  @Computed() @Column({ type: 'text', nullable: true }) RiskName!: string | null;
  @Computed() @Column({ type: 'integer', default: 0 }) ChecklistItemsCount!: number;
  @Computed() @Column({ type: 'integer', default: 0 }) CheckListItemsDoneCount!: number;
  @Computed() @Column({ type: 'integer', default: 0 }) CheckListItemsOpenCount!: number;
  @Computed() @Column({ type: 'integer', default: 0 }) ContributorsCount!: number;
  @Computed() @Column({ type: 'double precision', default: 0 }) ContributorsWorkAmount!: number;
  @Column({ type: 'double precision', default: 0 }) WorkAmountOwner!: number;
  @Column({ type: 'timestamptz', nullable: true }) ReminderDateTime!: Date | null;
  @Computed() @Column({ type: 'timestamptz', nullable: true }) ReminderSentDateTime!: Date | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) Tags!: string[];
  @Computed() @Column({ type: 'uuid', nullable: true }) ModifiedByContactId!: string | null;

  /** Values of the project-defined fields, by FieldName; surfaced as CF_* on DynamicTaskItem. */
  @ODataIgnore() @Column({ type: 'jsonb', default: () => "'{}'" }) ProjectDefinedFields!: Record<
    string,
    unknown
  >;
  @ODataIgnore() @Column({ type: 'boolean', default: false }) IsCalendarSyncEnabled!: boolean;

  @ManyToOne(() => Project, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'ProjectId' })
  Project!: Project | null;
  @ManyToOne(() => TaskStatus, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'TaskItemStatusId' })
  Status!: TaskStatus | null;
  @ManyToOne(() => Contact, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'ContactId' })
  Contact!: Contact | null;
  @ManyToOne(() => Contact, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'AssignedByContactId' })
  AssignedByContact!: Contact | null;
  @ManyToOne(() => Contact, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'CreatedByContactId' })
  CreatedByContact!: Contact;
  @ManyToOne(() => Planning, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'PlanningId' })
  Planning!: Planning | null;
  @ManyToOne(() => Risk, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'RiskId' })
  Risk!: Risk | null;

  @OneToMany('TaskItemNote', (n: TaskItemNote) => n.Task) Notes!: TaskItemNote[];
  @OneToMany('ChecklistItem', (c: ChecklistItem) => c.Task) ChecklistItems!: ChecklistItem[];
  @OneToMany('TimeEntry', (t: TimeEntry) => t.Task) TimeEntries!: TimeEntry[];
  @OneToMany('TaskContributor', (c: TaskContributor) => c.Task) Contributors!: TaskContributor[];
  @OneToMany('TaskRelation', (r: TaskRelation) => r.Task) Relations!: TaskRelation[];

  @ManyToMany(() => Document)
  @JoinTable({
    name: 'task_document',
    joinColumn: { name: 'TaskItemId' },
    inverseJoinColumn: { name: 'DocumentId' },
  })
  Documents!: Document[];

  @ManyToMany(() => Contact)
  @JoinTable({
    name: 'task_follower',
    joinColumn: { name: 'TaskItemId' },
    inverseJoinColumn: { name: 'ContactId' },
  })
  Followers!: Contact[];
}
