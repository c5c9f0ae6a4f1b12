import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Task } from './task.entity';

@Entity('checklist_item')
@Index(['TaskItemId', 'OrdinalPosition'])
@EntitySet('ChecklistItem')
export class ChecklistItem extends Tracked {
  @PrimaryGeneratedColumn('uuid') ChecklistItemId!: string;
  @Column({ type: 'uuid' }) TaskItemId!: string;
  @Column({ type: 'text', default: '' }) Name!: string;
  @Column({ type: 'boolean', default: false }) IsDone!: boolean;
  @Column({ type: 'integer', default: 0 }) OrdinalPosition!: number;

  @ManyToOne(() => Task, (t) => t.ChecklistItems, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'TaskItemId' })
  Task!: Task;
}
