import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessPolicy, ReadScope, ReferenceScope, WriteKind } from '../../odata/access/access-policy';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { unknownReference } from '../../odata/write/check-references';
import type { EdmEntityType } from '../../odata/model/edm-model';
import type { SqlParams } from '../../odata/sql/sql-params';
import { Role, atLeast, roleIn } from './roles';
import type { ContactCaller } from '../shared/caller';

type Caller = ContactCaller;

type Row = Record<string, unknown>;
const q = (alias: string, column: string) => `${alias}."${column}"`;

/** Sets whose rows hang off a task: they are visible and writable as their task is. */
const TASK_CHILDREN = new Set([
  'TaskItemNote',
  'ChecklistItem',
  'TimeEntry',
  'TaskContributor',
  'TaskRelation',
]);
/** Sets that belong to one project (ProjectId not null). */
const PROJECT_ROWS = new Set(['TaskStatus', 'ProjectDefinedField']);
/**
 * Sets whose rows belong to a project, or outside any project to their creator
 * (CreatedByContactId; rows without one are the administrators'). Templates an administrator
 * shared (IsShared) are read by everyone signed in.
 */
const OWNED_ROWS = new Set(['Planning', 'Risk', 'Document', 'TaskItemTemplate']);
/** Everyone signed in reads these (a directory). */
const SHARED = new Set(['Contact']);

/**
 * Project permissions. Every read is scoped in SQL to the caller's projects (membership in
 * project_member); tasks outside any project belong to their creator and assignee, other rows
 * outside projects to their creator; a contact's notifications and webhooks are its own.
 * References a write sets are checked by the core against readScope and referenceScope
 * (odata/write/check-references.ts). Writes need Editor in the row's project,
 * managing a project's members needs its Admin, and service administrators may do anything.
 * Rows the caller cannot see answer 404; rows it sees but may not change answer 403.
 */
@Injectable()
export class ProjectAccessPolicy implements AccessPolicy<ContactCaller> {
  readScope(caller: Caller): ReadScope {
    if (caller.isAdmin) return () => undefined;
    return (type, alias, params) => this.scopeSql(type.setName, alias, caller, params);
  }

  private members(caller: Caller, params: SqlParams): string {
    return `(SELECT pm."ProjectId" FROM project_member pm WHERE pm."ContactId" = ${params.typed(caller.contactId, 'uuid')})`;
  }

  private taskScope(alias: string, caller: Caller, params: SqlParams, prefix = ''): string {
    const me = params.typed(caller.contactId, 'uuid');
    return `(${q(alias, prefix + 'ProjectId')} IN ${this.members(caller, params)} OR (${q(alias, prefix + 'ProjectId')} IS NULL AND (${q(alias, prefix + 'CreatedByContactId')} = ${me} OR ${q(alias, prefix + 'ContactId')} = ${me})))`;
  }

  private ownedScope(set: string, alias: string, caller: Caller, params: SqlParams): string {
    const project = q(alias, 'ProjectId');
    const mine = `${q(alias, 'CreatedByContactId')} = ${params.typed(caller.contactId, 'uuid')}`;
    const owned = `${project} IN ${this.members(caller, params)} OR (${project} IS NULL AND ${mine})`;
    return set === 'TaskItemTemplate' ? `(${owned} OR ${q(alias, 'IsShared')})` : `(${owned})`;
  }

  private scopeSql(set: string, alias: string, caller: Caller, params: SqlParams): string | undefined {
    if (SHARED.has(set)) return undefined;
    if (set === 'Project' || set === 'ProjectMember' || PROJECT_ROWS.has(set))
      return `${q(alias, 'ProjectId')} IN ${this.members(caller, params)}`;
    if (OWNED_ROWS.has(set)) return this.ownedScope(set, alias, caller, params);
    if (set === 'Task') return this.taskScope(alias, caller, params);
    if (set === 'DynamicTaskItem') return this.taskScope(alias, caller, params, 'TaskItem_');
    if (TASK_CHILDREN.has(set)) {
      const t = `${alias}_t`;
      return `EXISTS (SELECT 1 FROM task ${t} WHERE ${t}."TaskItemId" = ${q(alias, 'TaskItemId')} AND ${this.taskScope(t, caller, params)})`;
    }
    if (set === 'Notification' || set === 'Webhook')
      return `${q(alias, 'ContactId')} = ${params.typed(caller.contactId, 'uuid')}`;
    if (set === 'WebhookDelivery') {
      return `EXISTS (SELECT 1 FROM webhook ${alias}_w WHERE ${alias}_w."WebhookId" = ${q(alias, 'WebhookId')} AND ${alias}_w."ContactId" = ${params.typed(caller.contactId, 'uuid')})`;
    }
    return 'FALSE'; // a set this policy does not know is nobody's but the administrators'
  }

  callerProperties(
    type: EdmEntityType,
    alias: string,
    caller: Caller,
    params: SqlParams,
  ): Record<string, string> {
    if (type.setName !== 'DynamicTaskItem') return {};
    if (caller.isAdmin)
      return { Permission_CanEdit: 'TRUE', Permission_CanDelete: 'TRUE', Permission_IsAdmin: 'TRUE' };
    const role = `(SELECT pm."Role" FROM project_member pm WHERE pm."ProjectId" = ${q(alias, 'TaskItem_ProjectId')} AND pm."ContactId" = ${params.typed(caller.contactId, 'uuid')})`;
    const own = `(${q(alias, 'TaskItem_ProjectId')} IS NULL)`;
    return {
      Permission_CanEdit: `(${own} OR ${role} IN ('Editor', 'Admin'))`,
      Permission_CanDelete: `(${own} OR ${role} IN ('Editor', 'Admin'))`,
      Permission_IsAdmin: `COALESCE(${role} = 'Admin', FALSE)`,
    };
  }

  /**
   * A reference from a row of a project to a row that has a project (a task's column, planning,
   * risk, documents) stays within that project, or points at a row outside any project (which
   * the read scope limits to the caller's own).
   */
  referenceScope(): ReferenceScope {
    return (source, target, alias, row) => {
      const keyedByProject = target.keys.some((k) => k.column === 'ProjectId');
      const projects = target.property.has('ProjectId') && source.property.has('ProjectId');
      if (keyedByProject || !projects) return undefined;
      return `(${q(alias, 'ProjectId')} IS NULL OR ${q(alias, 'ProjectId')} = ${row('ProjectId')})`;
    };
  }

  /** Audit columns come from the token, never from the client (PUT keeps the creator). */
  private stamp(type: EdmEntityType, kind: WriteKind, caller: Caller, after?: Row): void {
    if (!after) return;
    if (kind === 'create' && type.property.has('CreatedByContactId'))
      after.CreatedByContactId = caller.contactId;
    if (kind !== 'create') delete after.CreatedByContactId;
    if (kind === 'update' && type.property.has('ModifiedByContactId'))
      after.ModifiedByContactId = caller.contactId;
  }

  async checkWrite(
    type: EdmEntityType,
    kind: WriteKind,
    caller: Caller,
    m: EntityManager,
    row: { before?: Row; after?: Row },
  ): Promise<void> {
    const set = type.setName;
    this.stamp(type, kind, caller, row.after);
    if (caller.isAdmin) return;
    const merged = { ...(row.before ?? {}), ...(row.after ?? {}) };

    if (SHARED.has(set)) {
      if (set === 'Contact') {
        const self =
          kind === 'update' &&
          row.before?.ContactId === caller.contactId &&
          !('IsAdmin' in (row.after ?? {}));
        if (!self) throw this.forbidden('Only administrators manage contacts (a contact may edit itself)');
      }
      return;
    }
    if (set === 'Project') {
      if (kind === 'create') return;
      return this.require(m, row.before!.ProjectId as string, caller, 'Admin', 'ProjectId');
    }
    if (set === 'ProjectMember') {
      for (const p of this.projects(row)) await this.require(m, p, caller, 'Admin', 'ProjectId');
      return;
    }
    const sharing =
      row.after && 'IsShared' in row.after && row.after.IsShared !== (row.before?.IsShared ?? false);
    if (set === 'TaskItemTemplate' && sharing) throw this.forbidden('Only administrators share templates');
    if (PROJECT_ROWS.has(set) || OWNED_ROWS.has(set) || set === 'Task') {
      const before = row.before;
      if (before && !before.ProjectId) {
        // A row outside any project belongs to its creator (a task also to its assignee).
        const me = caller.contactId;
        const owner = before.CreatedByContactId === me || (set === 'Task' && before.ContactId === me);
        if (!owner) throw this.forbidden(`Only the creator changes a ${set} outside any project`);
      }
      // The row's own project: it is visible (a member, or a shared template), so rights are 403.
      if (before?.ProjectId)
        await this.require(m, String(before.ProjectId), caller, 'Editor', 'ProjectId', true);
      const moved = row.after?.ProjectId;
      if (typeof moved === 'string' && moved !== before?.ProjectId) {
        await this.require(m, moved, caller, 'Editor', 'ProjectId');
      }
      return;
    }
    const contacts = [row.before?.ContactId, row.after?.ContactId];
    const forOther = contacts.some((c) => c !== undefined && c !== caller.contactId);
    if (set === 'TimeEntry' && forOther) {
      throw this.forbidden('Time is booked for the caller; only administrators book it for another contact');
    }
    if (TASK_CHILDREN.has(set)) {
      for (const taskId of new Set(
        [row.before?.TaskItemId, row.after?.TaskItemId].filter(Boolean) as string[],
      )) {
        const [task] = await m.query(
          `SELECT "ProjectId", "CreatedByContactId", "ContactId" FROM task WHERE "TaskItemId" = $1`,
          [taskId],
        );
        if (!task) continue; // the reference check answers for a missing task
        // A task the caller cannot see answers like a missing one (never 403, which would confirm it).
        const me = caller.contactId;
        const visible = task.ProjectId
          ? !!(await roleIn(m, task.ProjectId, me))
          : task.CreatedByContactId === me || task.ContactId === me;
        if (!visible) throw unknownReference('TaskItemId');
        await this.checkWrite({ ...type, setName: 'Task' }, 'update', caller, m, { before: task });
      }
      return;
    }
    if (set === 'Webhook' || set === 'Notification') {
      if (merged.ContactId !== caller.contactId) throw this.forbidden(`A ${set} belongs to its contact`);
      return;
    }
    throw this.forbidden(`${set} is managed by administrators`);
  }

  async afterCreate(type: EdmEntityType, key: Row, caller: Caller, m: EntityManager): Promise<void> {
    // The creator of a project becomes its admin.
    if (type.setName === 'Project') {
      await m.query(
        `INSERT INTO project_member ("ProjectId", "ContactId", "Role") VALUES ($1, $2, 'Admin') ON CONFLICT DO NOTHING`,
        [key.ProjectId, caller.contactId],
      );
    }
  }

  /** The projects a write touches: the row's, and the new one when it moves. */
  private projects(row: { before?: Row; after?: Row }): string[] {
    return [
      ...new Set(
        [row.before?.ProjectId, row.after?.ProjectId].filter((p): p is string => typeof p === 'string'),
      ),
    ];
  }

  /**
   * A project the caller cannot see is reported like one that does not exist, unless the row
   * written is visible anyway (`visible`: a shared template), where a lack of rights is 403.
   */
  async require(
    m: EntityManager,
    projectId: string,
    caller: Caller,
    needed: Role,
    target: string,
    visible = false,
  ): Promise<void> {
    const role = await roleIn(m, projectId, caller.contactId);
    if (!role && visible) throw this.forbidden(`This needs the ${needed} role in the project`);
    if (!role) throw unknownReference(target);
    if (!atLeast(role, needed))
      throw this.forbidden(`This needs the ${needed} role in the project; you are ${role}`);
  }

  private forbidden(message: string): ODataError {
    return new ODataError(403, ErrorCode.Forbidden, message);
  }
}
