import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Contact } from '../contact/contact.entity';

/**
 * The secret of a contact's iCalendar feed URL. Not an entity set: reached through
 * GetCalendarSyncStatus, served at /calendar/<Token>.ics.
 */
@Entity('calendar_feed')
export class CalendarFeed {
  @PrimaryColumn({ type: 'uuid' }) ContactId!: string;
  @Column({ type: 'text', unique: true }) Token!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) CreatedDateTime!: Date;

  @OneToOne(() => Contact, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'ContactId' }) Contact!: Contact;
}
