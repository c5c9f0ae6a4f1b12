import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Computed, EntitySet, ODataIgnore } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Project } from '../project/project.entity';
import { Contact } from '../contact/contact.entity';

/**
 * A saved task structure of a project (see SaveTemplateForProject / LoadTemplateForProject).
 * It belongs to the project its tasks came from (members read it, editors change it), or,
 * without a project, to its creator; an administrator may share it with everyone (IsShared).
 */
@Entity('task_item_template')
@Index('IDX_task_item_template_CreatedByContactId', ['CreatedByContactId'])
@EntitySet('TaskItemTemplate')
export class TaskItemTemplate extends Tracked {
  @PrimaryGeneratedColumn('uuid') TaskItemTemplateId!: string;
  @Column({ type: 'text', default: '' }) Name!: string;
  @Column({ type: 'text', nullable: true }) Description!: string | null;
  /** The captured structure (statuses, tasks, checklist items), in the format DownloadTemplate returns. */
  @ODataIgnore() @Column({ type: 'jsonb', default: () => `'{"statuses":[],"tasks":[]}'` }) Content!: unknown;
  /** The project the tasks came from. */
  @Index() @Column({ type: 'uuid', nullable: true }) ProjectId!: string | null;
  /** Readable by everyone signed in; only administrators set it. */
  @Column({ type: 'boolean', default: false }) IsShared!: boolean;
  /** Who saved it (from the token). */
  @Computed() @Column({ type: 'uuid', nullable: true }) CreatedByContactId!: string | null;

  @ManyToOne(() => Project, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'ProjectId' })
  Project!: Project | null;
  @ManyToOne(() => Contact, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'CreatedByContactId' })
  CreatedByContact!: Contact | null;
}
