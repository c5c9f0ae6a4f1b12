import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Task } from './task.entity';
import { Contact } from '../contact/contact.entity';

@Entity('time_entry')
@Index(['TaskItemId', 'StartDateTime'])
@EntitySet('TimeEntry')
export class TimeEntry extends Tracked {
  @PrimaryGeneratedColumn('uuid') TimeEntryId!: string;
  @Column({ type: 'uuid' }) TaskItemId!: string;
  @Index() @Column({ type: 'uuid' }) ContactId!: string;
  @Column({ type: 'timestamptz' }) StartDateTime!: Date;
  @Column({ type: 'timestamptz' }) EndDateTime!: Date;
  @Column({ type: 'double precision', default: 0 }) DurationMinutes!: number;
  @Column({ type: 'boolean', default: false }) IsBillable!: boolean;

  @ManyToOne(() => Task, (t) => t.TimeEntries, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'TaskItemId' })
  Task!: Task;
  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ContactId' })
  Contact!: Contact;
}
