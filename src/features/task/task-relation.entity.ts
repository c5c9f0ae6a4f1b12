import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Computed, EntitySet } from '../../odata/model/odata.decorators';
import { Task } from './task.entity';

/** A link from a task to any task, project, document or contact (ItemType says which). */
@Entity('task_relation')
@EntitySet('TaskRelation', { readOnly: true })
export class TaskRelation {
  @PrimaryColumn({ type: 'uuid' }) TaskItemId!: string;
  /** Indexed: deleting a task, project, document or contact removes the relations to it. */
  @Index('IDX_task_relation_item') @PrimaryColumn({ type: 'uuid' }) ItemId!: string;
  /** Task, Project, Document or Contact. */
  @Column({ type: 'text' }) ItemType!: string;
  @Computed() @Column({ type: 'timestamptz', default: () => 'now()' }) CreatedDateTime!: Date;

  @ManyToOne(() => Task, (t) => t.Relations, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'TaskItemId' })
  Task!: Task;
}
