import { Column, CreateDateColumn } from 'typeorm';
import { Computed, ETagSource } from '../../odata/model/odata.decorators';

/**
 * Columns every writable entity carries. `Version` is drawn from one global sequence by the
 * `touch_row` trigger on every insert and update, so it is unique across the database and
 * serves as the ETag; `ModifiedDateTime` is set by the same trigger, never by a client.
 */
export abstract class Tracked {
  @Computed()
  @CreateDateColumn({ type: 'timestamptz', default: () => 'now()' })
  CreatedDateTime!: Date;

  @Computed()
  @Column({ type: 'timestamptz', default: () => 'now()' })
  ModifiedDateTime!: Date;

  @ETagSource()
  @Column({ type: 'bigint', default: () => "nextval('row_version_seq')", select: false })
  Version!: string;
}
