import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet, ODataIgnore } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';

/** A saved task structure of a project (see SaveTemplateForProject / LoadTemplateForProject). */
@Entity('task_item_template')
@EntitySet('TaskItemTemplate')
export class TaskItemTemplate extends Tracked {
  @PrimaryGeneratedColumn('uuid') TaskItemTemplateId!: string;
  @Column({ type: 'text', default: '' }) Name!: string;
  @Column({ type: 'text', nullable: true }) Description!: string | null;
  /** The captured structure (statuses, tasks, checklist items), in the format DownloadTemplate returns. */
  @ODataIgnore() @Column({ type: 'jsonb', default: () => `'{"statuses":[],"tasks":[]}'` }) Content!: unknown;
}
