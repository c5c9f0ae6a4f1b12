import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Index } from 'typeorm';
import { Task } from './task.entity';
import { Contact } from '../contact/contact.entity';

/**
 * The running stopwatch of one contact on one task, kept in PostgreSQL so it survives
 * restarts and is shared by every service instance. Not an entity set: reached through
 * the GetStopwatch/Start/Pause/StopStopwatch operations.
 */
@Entity('stopwatch')
@Index('IDX_stopwatch_ContactId', ['ContactId'])
export class Stopwatch {
  @PrimaryColumn({ type: 'uuid' }) TaskItemId!: string;
  @PrimaryColumn({ type: 'uuid' }) ContactId!: string;
  /** Running or Paused; a stopped stopwatch has no row. */
  @Column({ type: 'text' }) State!: string;
  @Column({ type: 'timestamptz' }) FirstStartedDateTime!: Date;
  /** When the current running stretch began (null while paused). */
  @Column({ type: 'timestamptz', nullable: true }) RunningSinceDateTime!: Date | null;
  /** Seconds run before the current stretch. */
  @Column({ type: 'double precision', default: 0 }) AccumulatedSeconds!: number;

  @ManyToOne(() => Task, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'TaskItemId' }) Task!: Task;
  @ManyToOne(() => Contact, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'ContactId' }) Contact!: Contact;
}
