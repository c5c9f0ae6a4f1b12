import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { DataSource } from 'typeorm';
import { HtmlText } from '../shared/html-text.service';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import type { AccessPolicy } from '../../odata/access/access-policy';
import type { EdmModel } from '../../odata/model/edm-model';
import { ACCESS_POLICY, EDM_MODEL } from '../../odata/model/tokens';
import { AliasGenerator } from '../../odata/sql/filter-to-sql';
import { SqlParams } from '../../odata/sql/sql-params';
import { ContactCaller, SYSTEM_CONTACT_ID, contactCaller } from '../shared/caller';

/** The file part of a feed URL: its secret (base64url) and `.ics`. */
const FEED_FILE = /^([A-Za-z0-9_-]{16,128})\.ics$/;

/**
 * GET /calendar/<secret>.ics: the contact's synced tasks as a standard iCalendar feed. The
 * secret is the feed's own (calendar_feed), not an API token; the feed lives only while its
 * contact has a valid API token, and lists only tasks the contact may read now (the same
 * access policy as every OData read), so a removed membership removes those tasks.
 */
@Controller('calendar')
export class CalendarFeedController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly html: HtmlText,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EDM_MODEL) private readonly model: EdmModel,
    @Inject(ACCESS_POLICY) private readonly access: AccessPolicy<ContactCaller>,
  ) {}

  @Get(':file')
  @Header('Cache-Control', 'private, max-age=300')
  async feed(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const secret = FEED_FILE.exec(file)?.[1];
    if (!secret) throw new NotFoundException();
    // ADMIN_TOKEN (the System contact) has no api_token row: its feed lives while it is configured.
    const [feed] = await this.dataSource.query(
      `SELECT f."ContactId", c."DisplayName", c."IsAdmin"
       FROM calendar_feed f JOIN contact c ON c."ContactId" = f."ContactId"
       WHERE f."Token" = $1
         AND (EXISTS (SELECT 1 FROM api_token t WHERE t."ContactId" = f."ContactId" AND t."RevokedDateTime" IS NULL)
              OR (f."ContactId" = $2 AND $3))`,
      [secret, SYSTEM_CONTACT_ID, !!this.config.auth.adminToken],
    );
    if (!feed) throw new NotFoundException();
    const calendar = ical({
      name: `Tasks of ${feed.DisplayName}`,
      method: ICalCalendarMethod.PUBLISH,
      prodId: { company: 'odata-tasks', product: 'tasks' },
    });
    for (const t of await this.tasks(contactCaller(feed.ContactId, feed.IsAdmin))) {
      // Stored HTML of any size, cut to HTML_MAX_LENGTH and converted in a worker thread; one at a
      // time, so that the measuring each needs on this thread (html-text.ts) never adds up.
      const description = t.DescriptionHTML ? await this.html.toText(t.DescriptionHTML) : undefined;
      const end = t.EndDateTime ?? t.StartDateTime;
      const start = t.StartDateTime && t.StartDateTime <= end ? t.StartDateTime : end;
      calendar.createEvent({
        id: t.TaskItemId,
        start,
        end,
        summary: `${t.IsDone ? '✓ ' : ''}${t.Name ?? '(no name)'}`,
        description,
        categories: t.ProjectName ? [{ name: t.ProjectName }] : undefined,
        lastModified: t.ModifiedDateTime,
      });
    }
    reply.header('Content-Type', 'text/calendar; charset=utf-8').send(calendar.toString());
  }

  /** Synced tasks the contact is assigned to, created or follows, and may still read. */
  private async tasks(caller: ContactCaller): Promise<Array<Record<string, any>>> {
    const params = new SqlParams();
    const me = params.typed(caller.contactId, 'uuid');
    const taskType = this.model.sets.get('Task')!;
    const scope = this.access.readScope(caller)(taskType, 't', params, new AliasGenerator());
    const sql = `SELECT t."TaskItemId", t."Name", t."DescriptionHTML", t."StartDateTime", t."EndDateTime", t."IsDone",
        t."ModifiedDateTime", p."Name" AS "ProjectName"
      FROM task t LEFT JOIN project p ON p."ProjectId" = t."ProjectId"
      WHERE t."IsCalendarSyncEnabled" AND COALESCE(t."EndDateTime", t."StartDateTime") IS NOT NULL
        AND (t."ContactId" = ${me} OR t."CreatedByContactId" = ${me}
             OR EXISTS (SELECT 1 FROM task_follower f WHERE f."TaskItemId" = t."TaskItemId" AND f."ContactId" = ${me}))
        ${scope ? `AND ${scope}` : ''}
      ORDER BY t."EndDateTime" NULLS LAST LIMIT 5000`;
    const [text, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params.values, {});
    return this.dataSource.query(text, values);
  }
}
