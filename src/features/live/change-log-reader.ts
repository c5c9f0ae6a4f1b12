import { asContactCaller } from '../shared/caller';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import type { Caller } from '../../odata/access/access-policy';
import { ChangeCandidate, ChangeLog, ODataChangeLog } from '../../odata/delta/change-log';

interface TrackedSet {
  table: string;
  key: string;
  /** change_event sets whose events concern this set's rows (by key). */
  events: string[];
  /** Its entry in a project delete's DeletedKeys. */
  deletedWith?: string;
  /**
   * SQL joining the rows `x` of a project `u."ProjectId"` (rows of projects whose membership of the
   * caller changed are candidates), driven from the change log so it costs what changed.
   */
  project?: string;
  /** Rows hang off a task: a task that moves (project, assignee, creator) moves their scope too. */
  taskChild?: boolean;
  /** DynamicTaskItem shows its project's and planning's properties. */
  showsProject?: boolean;
}

const OWN_PROJECT = (table: string) => `JOIN ${table} x ON x."ProjectId" = u."ProjectId"`;
const TASK_PROJECT = (table: string) =>
  `JOIN task t ON t."ProjectId" = u."ProjectId" JOIN ${table} x ON x."TaskItemId" = t."TaskItemId"`;
const SETS: Record<string, TrackedSet> = {
  Task: {
    table: 'task',
    key: 'TaskItemId',
    events: ['Task'],
    deletedWith: 'Task',
    project: OWN_PROJECT('task'),
  },
  DynamicTaskItem: {
    table: 'task',
    key: 'TaskItemId',
    events: ['Task', 'DynamicTaskItem'],
    deletedWith: 'Task',
    project: OWN_PROJECT('task'),
    showsProject: true,
  },
  TaskItemNote: {
    table: 'task_item_note',
    key: 'TaskItemNoteId',
    events: ['TaskItemNote'],
    deletedWith: 'TaskItemNote',
    project: TASK_PROJECT('task_item_note'),
    taskChild: true,
  },
  ChecklistItem: {
    table: 'checklist_item',
    key: 'ChecklistItemId',
    events: ['ChecklistItem'],
    deletedWith: 'ChecklistItem',
    project: TASK_PROJECT('checklist_item'),
    taskChild: true,
  },
  TaskStatus: {
    table: 'task_status',
    key: 'TaskItemStatusId',
    events: ['TaskStatus'],
    deletedWith: 'TaskStatus',
    project: OWN_PROJECT('task_status'),
  },
  Project: { table: 'project', key: 'ProjectId', events: ['Project'], project: OWN_PROJECT('project') },
  Contact: { table: 'contact', key: 'ContactId', events: ['Contact'] },
};

/** Columns of a task whose change moves the task, and what hangs off it, in or out of a caller's scope. */
const TASK_SCOPE_COLUMNS = `array['ProjectId', 'ContactId', 'CreatedByContactId']`;

/**
 * Delta links over the change_event outbox (migration 1763850000012): the changes a link has not
 * seen are the events written by transactions its snapshot did not see; the index on
 * ("EntitySet", "Xid") starts the scan at the snapshot's xmin, so a delta costs what changed since.
 * Besides a row's own events: the keys a project's delete lists, every row of a project whose
 * membership of the caller changed (its scope), the notes and checklist items of a task that moved,
 * and DynamicTaskItem rows whose project or planning changed.
 */
@Injectable()
@ODataChangeLog(Object.keys(SETS))
export class ChangeLogReader implements ChangeLog {
  readonly sets: ReadonlySet<string> = new Set(Object.keys(SETS));
  readonly retentionMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.retentionMs = config.live.deltaRetentionMinutes * 60_000;
  }

  async candidates(
    m: EntityManager,
    set: string,
    snapshot: string,
    caller: Caller | undefined,
    after: string | undefined,
    limit: number,
  ): Promise<ChangeCandidate[]> {
    const s = SETS[set];
    const key = `x."${s.key}"`;
    const parts = [
      `SELECT u."EntityKey" AS k, u."Kind" AS kind, u."Id" AS id FROM unseen u WHERE u."EntitySet" = ANY($2::text[])`,
    ];
    if (s.deletedWith)
      parts.push(`SELECT d.k::uuid, 'deleted', u."Id" FROM unseen u, jsonb_array_elements_text(u."DeletedKeys" -> '${s.deletedWith}') d(k)
        WHERE u."EntitySet" = 'Project' AND u."Kind" = 'deleted'`);
    // Administrators see every project: their scope does not follow memberships.
    const who = asContactCaller(caller);
    const member = s.project && who && !who.isAdmin ? who.contactId : null;
    if (member)
      parts.push(`SELECT ${key}, 'scope', 0 FROM unseen u ${s.project}
        WHERE u."EntitySet" = 'ProjectMember' AND u."EntityKey" = $3::uuid`);
    if (s.taskChild)
      parts.push(`SELECT ${key}, 'scope', 0 FROM unseen u JOIN ${s.table} x ON x."TaskItemId" = u."EntityKey"
        WHERE u."EntitySet" = 'Task' AND u."Changes" ?| ${TASK_SCOPE_COLUMNS}`);
    if (s.showsProject)
      for (const [logged, column] of [
        ['Project', 'ProjectId'],
        ['Planning', 'PlanningId'],
      ])
        parts.push(`SELECT ${key}, 'scope', 0 FROM unseen u JOIN task x ON x."${column}" = u."EntityKey"
          WHERE u."EntitySet" = '${logged}' AND u."Kind" = 'updated'`);
    // The log's sets this delta reads: the index on ("EntitySet", "Xid") serves each.
    const logged = [
      ...new Set([
        ...s.events,
        'Project',
        ...(member ? ['ProjectMember'] : []),
        ...(s.taskChild ? ['Task'] : []),
        ...(s.showsProject ? ['Planning'] : []),
      ]),
    ];
    // The earliest unseen change of a key tells whether the row existed when the link was issued.
    const rows: Array<{ key: string; fresh: boolean }> = await m.query(
      `WITH unseen AS (
         SELECT e."Id", e."EntitySet", e."EntityKey", e."Kind", e."ProjectId", e."Changes", e."DeletedKeys"
         FROM change_event e
         WHERE e."EntitySet" = ANY($1::text[]) AND ($3::uuid IS NULL OR TRUE)
           AND e."Xid" >= pg_snapshot_xmin($4::pg_snapshot)
           AND NOT pg_visible_in_snapshot(e."Xid", $4::pg_snapshot))
       SELECT c.k::text AS key, (array_agg(c.kind ORDER BY c.id))[1] = 'created' AS fresh
       FROM (${parts.join(' UNION ALL ')}) c
       WHERE $5::uuid IS NULL OR c.k > $5::uuid
       GROUP BY c.k ORDER BY c.k LIMIT $6`,
      [logged, s.events, member, snapshot, after ?? null, limit],
    );
    return rows;
  }
}
