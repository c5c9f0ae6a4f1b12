import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Contact } from '../contact/contact.entity';
import { Project } from '../project/project.entity';

/** A contact's role in a project: Viewer reads, Editor also writes, Admin also manages members. */
@Entity('project_member')
@EntitySet('ProjectMember')
export class ProjectMember {
  @PrimaryColumn({ type: 'uuid' }) ProjectId!: string;
  @PrimaryColumn({ type: 'uuid' }) ContactId!: string;
  /** Viewer, Editor or Admin (a constraint in the migration). */
  @Column({ type: 'text', default: 'Viewer' }) Role!: string;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'ProjectId' }) Project!: Project;
  @ManyToOne(() => Contact, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'ContactId' }) Contact!: Contact;
}
