import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';
import { Contact } from '../contact/contact.entity';

/**
 * Where a contact's notifications are POSTed (or everyone's, when ContactId is null: an
 * administrator's hook). Each body is signed with HMAC-SHA256 of Secret.
 */
@Entity('webhook')
@EntitySet('Webhook')
export class Webhook extends Tracked {
  @PrimaryGeneratedColumn('uuid') WebhookId!: string;
  @Index() @Column({ type: 'uuid', nullable: true }) ContactId!: string | null;
  /** http or https; private and loopback addresses are refused unless WEBHOOK_ALLOW_PRIVATE. */
  @Column({ type: 'text' }) Url!: string;
  @Column({ type: 'text' }) Secret!: string;
  /** Notification kinds to deliver (Note, Reminder, Assigned, FollowedTaskChanged); empty: all. */
  @Column({ type: 'text', array: true, default: () => "'{}'" }) Kinds!: string[];
  @Column({ type: 'boolean', default: true }) IsActive!: boolean;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'ContactId' })
  Contact!: Contact | null;
}
