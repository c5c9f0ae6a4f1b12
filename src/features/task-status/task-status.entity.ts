import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Project } from '../project/project.entity';

/** A Kanban column of one project. */
@Entity('task_status')
@Index(['ProjectId', 'OrdinalPosition'])
@EntitySet('TaskStatus')
export class TaskStatus extends Tracked {
  @PrimaryGeneratedColumn('uuid') TaskItemStatusId!: string;
  @Column({ type: 'text', default: '' }) Name!: string;
  @Column({ type: 'uuid' }) ProjectId!: string;
  @Column({ type: 'integer', default: 0 }) OrdinalPosition!: number;
  @Column({ type: 'integer', nullable: true }) Color!: number | null;
  /** Work-in-progress limit of the column; null means none. */
  @Column({ type: 'integer', nullable: true }) WipLimit!: number | null;
  /** A hard limit refuses moves into a full column (409); a soft one only reports it. */
  @Column({ type: 'boolean', default: false }) IsWipLimitHard!: boolean;

  @ManyToOne(() => Project, (p) => p.Statuses, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ProjectId' })
  Project!: Project;
}
