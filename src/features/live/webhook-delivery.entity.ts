import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Computed, EntitySet } from '../../odata/model/odata.decorators';
import { Webhook } from './webhook.entity';
import { Notification } from '../notification/notification.entity';

/** One notification on its way to one webhook: attempts, the next try, the outcome. */
@Entity('webhook_delivery')
@Index('IDX_webhook_delivery_NotificationId', ['NotificationId'])
@Index(['NextAttemptDateTime'], { where: '"DeliveredDateTime" IS NULL AND "GaveUp" = false' })
@EntitySet('WebhookDelivery', { readOnly: true })
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid') WebhookDeliveryId!: string;
  @Index() @Column({ type: 'uuid' }) WebhookId!: string;
  @Column({ type: 'uuid' }) NotificationId!: string;
  @Computed() @Column({ type: 'integer', default: 0 }) Attempts!: number;
  @Computed() @Column({ type: 'timestamptz', default: () => 'now()' }) NextAttemptDateTime!: Date;
  @Computed() @Column({ type: 'timestamptz', nullable: true }) DeliveredDateTime!: Date | null;
  @Computed() @Column({ type: 'text', nullable: true }) LastError!: string | null;
  @Computed() @Column({ type: 'integer', nullable: true }) LastStatus!: number | null;
  /** Retried with exponential backoff for a day, then given up. */
  @Computed() @Column({ type: 'boolean', default: false }) GaveUp!: boolean;
  @Computed() @Column({ type: 'timestamptz', default: () => 'now()' }) CreatedDateTime!: Date;

  @ManyToOne(() => Webhook, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'WebhookId' }) Webhook!: Webhook;
  @ManyToOne(() => Notification, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'NotificationId' })
  Notification!: Notification;
}
