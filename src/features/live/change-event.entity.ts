import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The outbox of the change stream: written by triggers in the transaction that changes a row,
 * announced with NOTIFY after commit, kept for a bounded replay window (Last-Event-ID).
 */
@Entity('change_event')
export class ChangeEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) Id!: string;
  @Index() @Column({ type: 'timestamptz', default: () => 'now()' }) CreatedDateTime!: Date;
  @Column({ type: 'text' }) EntitySet!: string;
  @Column({ type: 'uuid' }) EntityKey!: string;
  /** created, updated or deleted */
  @Column({ type: 'text' }) Kind!: string;
  @Index() @Column({ type: 'uuid', nullable: true }) ProjectId!: string | null;
  /** The changed properties (all of them on create, none on delete). */
  @Column({ type: 'jsonb', default: () => "'{}'" }) Changes!: Record<string, unknown>;
  @Column({ type: 'text', nullable: true }) ETag!: string | null;
}
