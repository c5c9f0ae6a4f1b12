import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Computed, ETagSource, EntitySet } from '../../odata/model/odata.decorators';
import { Task } from '../task/task.entity';
import { Contact } from '../contact/contact.entity';

@Entity('task_item_note')
@Index('IDX_task_item_note_CreatedByContactId', ['CreatedByContactId'])
@Index(['TaskItemId', 'CreateDateTime'])
@EntitySet('TaskItemNote', {
  searchable: ['Note', 'ShortDescription'],
  fullText: { vector: 'SearchVector', config: 'simple' },
})
export class TaskItemNote {
  @PrimaryGeneratedColumn('uuid') TaskItemNoteId!: string;
  @Column({ type: 'uuid' }) TaskItemId!: string;
  /** Plain text of the note. */
  @Column({ type: 'text', default: '' }) Note!: string;
  @Column({ type: 'text', default: '' }) NoteHtml!: string;
  @Column({ type: 'text', default: '' }) ShortDescription!: string;
  @Computed() @CreateDateColumn({ type: 'timestamptz', default: () => 'now()' }) CreateDateTime!: Date;
  /** The note's author (from the token; never from the body). */
  @Computed()
  @Column({ type: 'uuid', default: () => "'00000000-0000-0000-0000-000000000000'" })
  CreatedByContactId!: string;
  @Computed() @Column({ type: 'uuid', nullable: true }) ModifiedByContactId!: string | null;
  @Computed() @Column({ type: 'timestamptz', default: () => 'now()' }) ModifiedDateTime!: Date;
  @ETagSource()
  @Column({ type: 'bigint', default: () => "nextval('row_version_seq')", select: false })
  Version!: string;

  @ManyToOne(() => Task, (t) => t.Notes, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'TaskItemId' })
  Task!: Task;
  @ManyToOne(() => Contact, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'CreatedByContactId' })
  CreatedByContact!: Contact;
}
