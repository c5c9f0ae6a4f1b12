import { Injectable } from '@nestjs/common';
import { unknownReference } from '../../odata/write/check-references';
import { ODataAction, ODataFunction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { callerContactId } from '../shared/caller';
import { rows } from '../shared/sql';

/** The saved structure of a project, as stored and as DownloadTemplate returns it. */
export interface TemplateContent {
  statuses: Array<{ name: string; ordinalPosition: number; color: number | null }>;
  tasks: Array<{
    name: string | null;
    descriptionHtml: string | null;
    workAmount: number;
    isBillable: boolean;
    recurrence: number;
    tags: string[];
    /** Days from the project's start (fractional), or null. */
    startOffsetDays: number | null;
    endOffsetDays: number | null;
    statusName: string | null;
    cardPositionNumber: number;
    checklist: Array<{ name: string; ordinalPosition: number }>;
  }>;
}

@Injectable()
export class TemplateOperations {
  /**
   * Saves a project's task structure; dates become offsets from the project's start. The
   * template belongs to that project (its members read it): saving needs the Editor role.
   */
  @ODataAction({
    name: 'SaveTemplateForProject',
    bindTo: { entitySet: 'TaskItemTemplate', collection: true },
    parameters: { ProjectId: 'Edm.Guid', Name: 'Edm.String' },
    returns: 'TaskItemTemplate',
  })
  async save(ctx: OperationContext): Promise<OperationResult> {
    const m = ctx.manager;
    const projectId = ctx.params.ProjectId;
    const values: Record<string, unknown> = { ProjectId: projectId, Name: ctx.params.Name };
    await ctx.access.checkReferences('TaskItemTemplate', [{ after: values }]);
    await ctx.access.checkWrite('TaskItemTemplate', 'create', { after: values });
    const [project] = await rows(
      m,
      `SELECT COALESCE(p."StartDateTime", (SELECT min(COALESCE(t."StartDateTime", t."EndDateTime")) FROM task t WHERE t."ProjectId" = p."ProjectId")) AS origin
       FROM project p WHERE p."ProjectId" = $1`,
      [projectId],
    );
    const statuses = await rows(
      m,
      `SELECT "Name" AS name, "OrdinalPosition" AS "ordinalPosition", "Color" AS color FROM task_status WHERE "ProjectId" = $1 ORDER BY "OrdinalPosition", "TaskItemStatusId"`,
      [projectId],
    );
    const tasks = await rows(
      m,
      `SELECT t."Name" AS name, t."DescriptionHTML" AS "descriptionHtml", t."WorkAmount" AS "workAmount", t."IsBillable" AS "isBillable",
              t."Recurrence" AS recurrence, t."Tags" AS tags,
              EXTRACT(EPOCH FROM t."StartDateTime" - $2::timestamptz) / 86400 AS "startOffsetDays",
              EXTRACT(EPOCH FROM t."EndDateTime" - $2::timestamptz) / 86400 AS "endOffsetDays",
              s."Name" AS "statusName", t."CardPositionNumber" AS "cardPositionNumber",
              COALESCE((SELECT json_agg(json_build_object('name', c."Name", 'ordinalPosition', c."OrdinalPosition") ORDER BY c."OrdinalPosition", c."ChecklistItemId")
                        FROM checklist_item c WHERE c."TaskItemId" = t."TaskItemId"), '[]') AS checklist
       FROM task t LEFT JOIN task_status s ON s."TaskItemStatusId" = t."TaskItemStatusId"
       WHERE t."ProjectId" = $1 ORDER BY s."OrdinalPosition" NULLS LAST, t."CardPositionNumber", t."TaskItemId"`,
      [projectId, project.origin ?? new Date().toISOString()],
    );
    const content: TemplateContent = {
      statuses,
      tasks: tasks.map((t) => ({
        ...t,
        startOffsetDays: t.startOffsetDays === null ? null : Number(t.startOffsetDays),
        endOffsetDays: t.endOffsetDays === null ? null : Number(t.endOffsetDays),
      })),
    };
    const [tpl] = await rows(
      m,
      `INSERT INTO task_item_template ("Name", "Content", "ProjectId", "CreatedByContactId") VALUES ($1, $2, $3, $4)
       RETURNING "TaskItemTemplateId"`,
      [
        ctx.params.Name,
        JSON.stringify(content),
        projectId,
        values.CreatedByContactId ?? callerContactId(ctx),
      ],
    );
    return {
      kind: 'entity',
      entitySet: 'TaskItemTemplate',
      key: { TaskItemTemplateId: tpl.TaskItemTemplateId },
    };
  }

  /**
   * Recreates the template's tasks in a project, creating the statuses it lacks (matched by
   * name). Reading the template is enough for it (readsBinding); the target needs Editor.
   */
  @ODataAction({
    name: 'LoadTemplateForProject',
    bindTo: { entitySet: 'TaskItemTemplate' },
    parameters: { ProjectId: 'Edm.Guid' },
    returns: 'Collection(Task)',
    readsBinding: true,
  })
  async load(ctx: OperationContext): Promise<OperationResult> {
    const m = ctx.manager;
    const projectId = ctx.params.ProjectId;
    await ctx.access.checkReferences('Task', [{ after: { ProjectId: projectId } }]);
    await ctx.access.checkWrite('Task', 'create', { after: { ProjectId: projectId } });
    const [tpl] = await rows(m, `SELECT "Content" FROM task_item_template WHERE "TaskItemTemplateId" = $1`, [
      ctx.key!.TaskItemTemplateId,
    ]);
    const [project] = await rows(
      m,
      `SELECT COALESCE("StartDateTime", date_trunc('day', now())) AS origin FROM project WHERE "ProjectId" = $1 FOR UPDATE`,
      [projectId],
    );
    if (!project) throw unknownReference('ProjectId'); // deleted meanwhile
    const content = tpl.Content as TemplateContent;

    const existing = await rows(
      m,
      `SELECT "TaskItemStatusId", "Name" FROM task_status WHERE "ProjectId" = $1`,
      [projectId],
    );
    const statusByName = new Map<string, string>(existing.map((s) => [s.Name, s.TaskItemStatusId]));
    for (const s of content.statuses) {
      if (statusByName.has(s.name)) continue;
      const [created] = await rows(
        m,
        `INSERT INTO task_status ("Name", "ProjectId", "OrdinalPosition", "Color") VALUES ($1, $2, $3, $4) RETURNING "TaskItemStatusId"`,
        [s.name, projectId, s.ordinalPosition, s.color],
      );
      statusByName.set(s.name, created.TaskItemStatusId);
    }
    if (content.tasks.length === 0) return { kind: 'entities', entitySet: 'Task', keys: [] };
    const created = await rows(
      m,
      `INSERT INTO task ("Name", "DescriptionHTML", "WorkAmount", "IsBillable", "Recurrence", "Tags", "StartDateTime", "EndDateTime",
                         "TaskItemStatusId", "CardPositionNumber", "ProjectId", "CreatedByContactId")
       SELECT x.name, x."descriptionHtml", x."workAmount", x."isBillable", x.recurrence, ARRAY(SELECT jsonb_array_elements_text(x.tags)),
              $2::timestamptz + x."startOffsetDays" * interval '1 day', $2::timestamptz + x."endOffsetDays" * interval '1 day',
              (x.s ->> x."statusName")::uuid, x."cardPositionNumber", $3, $4
       FROM (SELECT t.*, $5::jsonb AS s, e.ord FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(v, ord)
             CROSS JOIN LATERAL jsonb_to_record(e.v) AS t(name text, "descriptionHtml" text, "workAmount" float8,
               "isBillable" bool, recurrence int, tags jsonb, "startOffsetDays" float8, "endOffsetDays" float8, "statusName" text, "cardPositionNumber" int)) x
       ORDER BY x.ord
       RETURNING "TaskItemId"`,
      [
        JSON.stringify(content.tasks),
        project.origin,
        projectId,
        callerContactId(ctx),
        JSON.stringify(Object.fromEntries(statusByName)),
      ],
    );
    // Checklists, in the same order as the tasks were inserted.
    const checklists = content.tasks.flatMap((t, i) =>
      t.checklist.map((c) => ({ task: created[i].TaskItemId, name: c.name, ord: c.ordinalPosition })),
    );
    if (checklists.length) {
      await m.query(
        `INSERT INTO checklist_item ("TaskItemId", "Name", "OrdinalPosition") SELECT (c->>'task')::uuid, c->>'name', (c->>'ord')::int FROM jsonb_array_elements($1::jsonb) c`,
        [JSON.stringify(checklists)],
      );
    }
    return { kind: 'entities', entitySet: 'Task', keys: created };
  }

  @ODataFunction({
    name: 'DownloadTemplate',
    bindTo: { entitySet: 'TaskItemTemplate' },
    returns: 'Edm.Stream',
  })
  async download(ctx: OperationContext): Promise<OperationResult> {
    const [tpl] = await rows(
      ctx.manager,
      `SELECT "Name", "Content" FROM task_item_template WHERE "TaskItemTemplateId" = $1`,
      [ctx.key!.TaskItemTemplateId],
    );
    const filename = `${tpl.Name || 'template'}.json`;
    return {
      kind: 'response',
      response: {
        status: 200,
        headers: {
          'Content-Type': 'application/json;charset=utf-8',
          'Content-Disposition': `attachment; filename="${filename.replace(/["\\\r\n]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        },
        body: JSON.stringify({ name: tpl.Name, ...tpl.Content }, null, 2),
      },
    };
  }
}
