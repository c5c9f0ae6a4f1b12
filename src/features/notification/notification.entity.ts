import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Computed, EntitySet } from '../../odata/model/odata.decorators';
import { Contact } from '../contact/contact.entity';
import { Task } from '../task/task.entity';

/** A delivery to one contact (a note, a due reminder, a change to a followed task). Written by the service only. */
@Entity('notification')
@Index(['ContactId', 'CreatedDateTime'])
@EntitySet('Notification', { readOnly: true })
export class Notification {
  @PrimaryGeneratedColumn('uuid') NotificationId!: string;
  @Column({ type: 'uuid' }) ContactId!: string;
  @Index() @Column({ type: 'uuid', nullable: true }) TaskItemId!: string | null;
  /** Note, Reminder, Assigned, FollowedTaskChanged. */
  @Column({ type: 'text' }) Kind!: string;
  @Column({ type: 'text', default: '' }) Message!: string;
  @Computed() @CreateDateColumn({ type: 'timestamptz', default: () => 'now()' }) CreatedDateTime!: Date;
  @Computed() @Column({ type: 'timestamptz', nullable: true }) DeliveredDateTime!: Date | null;
  @Column({ type: 'boolean', default: false }) IsRead!: boolean;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'ContactId' }) Contact!: Contact;
  @ManyToOne(() => Task, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'TaskItemId' })
  Task!: Task | null;
}
