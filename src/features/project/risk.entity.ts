import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Project } from './project.entity';

@Entity('risk')
@EntitySet('Risk')
export class Risk extends Tracked {
  @PrimaryGeneratedColumn('uuid') RiskId!: string;
  @Column({ type: 'text', default: '' }) Name!: string;
  @Index() @Column({ type: 'uuid', nullable: true }) ProjectId!: string | null;
  @Column({ type: 'text', nullable: true }) Description!: string | null;

  @ManyToOne(() => Project, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'ProjectId' })
  Project!: Project | null;
}
