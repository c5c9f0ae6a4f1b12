import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ODataWriteValidator, WriteValidator } from '../../odata/write/write-validator';
import { checkWebhookUrl } from './webhook-address';

/** Webhook URLs are checked on every write (server-side request forgery guard). */
@Injectable()
@ODataWriteValidator('Webhook')
export class WebhookUrlValidator implements WriteValidator {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async validate(values: Record<string, unknown>): Promise<void> {
    if (typeof values.Url !== 'string') return;
    const problem = await checkWebhookUrl(values.Url, this.config.live.webhookAllowPrivate);
    if (problem) throw ODataError.badRequest(problem, 'Url', ErrorCode.BadType);
  }
}
