import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Project } from '../project/project.entity';

@Entity('document')
@EntitySet('Document', { searchable: ['FileName'] })
export class Document extends Tracked {
  @PrimaryGeneratedColumn('uuid') DocumentId!: string;
  @Column({ type: 'text', default: '' }) FileName!: string;
  @Column({ type: 'text', nullable: true }) ContentType!: string | null;
  @Column({ type: 'text', nullable: true }) Url!: string | null;
  @Index() @Column({ type: 'uuid', nullable: true }) ProjectId!: string | null;

  @ManyToOne(() => Project, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'ProjectId' })
  Project!: Project | null;
}
