import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Computed, EntitySet } from '../../odata/model/odata.decorators';
import { Contact } from '../contact/contact.entity';
import { Tracked } from '../shared/tracked.entity';
import { Project } from './project.entity';

@Entity('planning')
@Index('IDX_planning_CreatedByContactId', ['CreatedByContactId'])
@EntitySet('Planning')
export class Planning extends Tracked {
  @PrimaryGeneratedColumn('uuid') PlanningId!: string;
  @Column({ type: 'text', default: '' }) DisplayName!: string;
  @Index() @Column({ type: 'uuid', nullable: true }) ProjectId!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) StartDateTime!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) EndDateTime!: Date | null;
  /** Who created it (from the token): a row outside any project belongs to its creator (null: administrators only). */
  @Computed() @Column({ type: 'uuid', nullable: true }) CreatedByContactId!: string | null;

  @ManyToOne(() => Project, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'ProjectId' })
  Project!: Project | null;
  @ManyToOne(() => Contact, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'CreatedByContactId' })
  CreatedByContact!: Contact | null;
}
