import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Computed, EntitySet } from '../../odata/model/odata.decorators';
import { Contact } from '../contact/contact.entity';
import { Tracked } from '../shared/tracked.entity';
import { Project } from '../project/project.entity';

@Entity('document')
@Index('IDX_document_CreatedByContactId', ['CreatedByContactId'])
@EntitySet('Document', { searchable: ['FileName'] })
export class Document extends Tracked {
  @PrimaryGeneratedColumn('uuid') DocumentId!: string;
  @Column({ type: 'text', default: '' }) FileName!: string;
  @Column({ type: 'text', nullable: true }) ContentType!: string | null;
  @Column({ type: 'text', nullable: true }) Url!: string | null;
  @Index() @Column({ type: 'uuid', nullable: true }) ProjectId!: string | null;
  /** Who created it (from the token): a row outside any project belongs to its creator (null: administrators only). */
  @Computed() @Column({ type: 'uuid', nullable: true }) CreatedByContactId!: string | null;

  @ManyToOne(() => Project, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'ProjectId' })
  Project!: Project | null;
  @ManyToOne(() => Contact, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'CreatedByContactId' })
  CreatedByContact!: Contact | null;
}
