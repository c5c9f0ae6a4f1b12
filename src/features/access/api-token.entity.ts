import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Contact } from '../contact/contact.entity';

/** An API token of a contact. Only its SHA-256 hash is stored; the token is shown once. */
@Entity('api_token')
export class ApiToken {
  @PrimaryGeneratedColumn('uuid') ApiTokenId!: string;
  @Index() @Column({ type: 'uuid' }) ContactId!: string;
  @Column({ type: 'text', default: '' }) Name!: string;
  @Index({ unique: true }) @Column({ type: 'text' }) TokenHash!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) CreatedDateTime!: Date;
  @Column({ type: 'timestamptz', nullable: true }) LastUsedDateTime!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) RevokedDateTime!: Date | null;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'ContactId' }) Contact!: Contact;
}
