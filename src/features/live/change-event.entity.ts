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
  /**
   * A project's delete (one summary event): the keys of the tracked rows deleted with it, by
   * entity set, for delta links. Its sibling "Xid" (xid8, the writing transaction) is not
   * declared here: TypeORM has no xid8 type (migration 1763850000012).
   */
  @Column({ type: 'jsonb', nullable: true, select: false }) DeletedKeys!: Record<string, string[]> | null;
}
