import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import type { TaskStatus } from '../task-status/task-status.entity';
import type { ProjectDefinedField } from './project-defined-field.entity';

@Entity('project')
@EntitySet('Project', { searchable: ['Name', 'Description'] })
export class Project extends Tracked {
  @PrimaryGeneratedColumn('uuid') ProjectId!: string;
  @Column({ type: 'text', default: '' }) Name!: string;
  @Column({ type: 'text', nullable: true }) Description!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) StartDateTime!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) EndDateTime!: Date | null;
  @Column({ type: 'boolean', default: false }) IsArchived!: boolean;

  @OneToMany('TaskStatus', (s: TaskStatus) => s.Project) Statuses!: TaskStatus[];
  @OneToMany('ProjectDefinedField', (f: ProjectDefinedField) => f.Project)
  DefinedFields!: ProjectDefinedField[];
}
