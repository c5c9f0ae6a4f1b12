import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EntitySet } from '../../odata/model/odata.decorators';
import { Tracked } from '../shared/tracked.entity';

@Entity('contact')
@EntitySet('Contact', { searchable: ['DisplayName', 'Email'] })
export class Contact extends Tracked {
  @PrimaryGeneratedColumn('uuid') ContactId!: string;
  @Column({ type: 'text', default: '' }) DisplayName!: string;
  @Column({ type: 'text', nullable: true }) Email!: string | null;
  @Column({ type: 'uuid', nullable: true }) ImageId!: string | null;
  /** A service administrator: sees and manages everything. */
  @Column({ type: 'boolean', default: false }) IsAdmin!: boolean;
}
