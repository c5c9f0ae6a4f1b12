import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Project } from './project.entity';

/** A custom field of a project; task values live in task."ProjectDefinedFields" (jsonb). */
@Entity('project_defined_field')
@Index(['ProjectId', 'FieldName'], { unique: true })
@EntitySet('ProjectDefinedField')
export class ProjectDefinedField extends Tracked {
  @PrimaryGeneratedColumn('uuid') ProjectDefinedFieldId!: string;
  @Column({ type: 'uuid' }) ProjectId!: string;
  /** e.g. pf_dt0_1a2b3c4d_SomeField; becomes CF_<FieldName> on DynamicTaskItem. */
  @Column({ type: 'text' }) FieldName!: string;
  @Column({ type: 'text', default: '' }) DisplayName!: string;
  /** String, Number, Date or Boolean (checked by a constraint in the migration). */
  @Column({ type: 'text', default: 'String' }) Type!: string;

  @ManyToOne(() => Project, (p) => p.DefinedFields, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ProjectId' })
  Project!: Project;
}
