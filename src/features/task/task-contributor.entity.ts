import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Task } from './task.entity';
import { Contact } from '../contact/contact.entity';

/** A contact working on a task besides its owner; feeds ContributorsCount/ContributorsWorkAmount. */
@Entity('task_contributor')
@Index(['TaskItemId', 'ContactId'], { unique: true })
@EntitySet('TaskContributor')
export class TaskContributor extends Tracked {
  @PrimaryGeneratedColumn('uuid') Id!: string;
  @Column({ type: 'uuid' }) TaskItemId!: string;
  @Index() @Column({ type: 'uuid' }) ContactId!: string;
  @Column({ type: 'double precision', default: 0 }) WorkAmount!: number;
  @Column({ type: 'boolean', default: false }) IsDone!: boolean;

  @ManyToOne(() => Task, (t) => t.Contributors, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'TaskItemId' })
  Task!: Task;
  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ContactId' })
  Contact!: Contact;
}
