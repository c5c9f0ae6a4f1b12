import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { DataSource } from 'typeorm';
import { HtmlText } from '../shared/html-text.service';

/** GET /calendar/<token>.ics: the contact's synced tasks as a standard iCalendar feed. */
@Controller('calendar')
export class CalendarFeedController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly html: HtmlText,
  ) {}

  @Get(':file')
  @Header('Cache-Control', 'private, max-age=300')
  async feed(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const token = file.replace(/\.ics$/, '');
    const [feed] = await this.dataSource.query(
      `SELECT f."ContactId", c."DisplayName" FROM calendar_feed f JOIN contact c ON c."ContactId" = f."ContactId" WHERE f."Token" = $1`,
      [token],
    );
    if (!feed) throw new NotFoundException();
    const tasks = await this.dataSource.query(
      `SELECT t."TaskItemId", t."Name", t."DescriptionHTML", t."StartDateTime", t."EndDateTime", t."IsDone", t."ModifiedDateTime", p."Name" AS "ProjectName"
       FROM task t LEFT JOIN project p ON p."ProjectId" = t."ProjectId"
       WHERE t."IsCalendarSyncEnabled" AND COALESCE(t."EndDateTime", t."StartDateTime") IS NOT NULL
         AND (t."ContactId" = $1 OR t."CreatedByContactId" = $1 OR EXISTS (SELECT 1 FROM task_follower f WHERE f."TaskItemId" = t."TaskItemId" AND f."ContactId" = $1))
       ORDER BY t."EndDateTime" NULLS LAST LIMIT 5000`,
      [feed.ContactId],
    );
    const calendar = ical({ name: `Tasks of ${feed.DisplayName}`, method: ICalCalendarMethod.PUBLISH, prodId: { company: 'odata-tasks', product: 'tasks' } });
    for (const t of tasks) {
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
}
