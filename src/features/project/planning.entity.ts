import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Project } from './project.entity';

@Entity('planning')
@EntitySet('Planning')
export class Planning extends Tracked {
  @PrimaryGeneratedColumn('uuid') PlanningId!: string;
  @Column({ type: 'text', default: '' }) DisplayName!: string;
  @Index() @Column({ type: 'uuid', nullable: true }) ProjectId!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) StartDateTime!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) EndDateTime!: Date | null;

  @ManyToOne(() => Project, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'ProjectId' })
  Project!: Project | null;
}
