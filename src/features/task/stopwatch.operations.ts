import { Injectable } from '@nestjs/common';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';
import { ODataAction, ODataFunction } from '../../odata/operations/operation.decorator';
import type { OperationContext, OperationResult } from '../../odata/operations/operation-context';
import { callerContactId } from '../shared/caller';
import { rows } from '../shared/sql';

const STOPWATCH_STATE = {
  name: 'StopwatchState',
  properties: [
    { name: 'State', type: 'Edm.String', collection: false, nullable: false },
    { name: 'ElapsedSeconds', type: 'Edm.Double', collection: false, nullable: false },
  ],
};

/** Elapsed running time, computed by PostgreSQL so every instance agrees on "now". */
const STATE_SQL = `SELECT "State", "AccumulatedSeconds" + COALESCE(EXTRACT(EPOCH FROM now() - "RunningSinceDateTime"), 0) AS "ElapsedSeconds"
  FROM stopwatch WHERE "TaskItemId" = $1 AND "ContactId" = $2`;

/**
 * A stopwatch per task and calling contact, kept in PostgreSQL (one row while Running or
 * Paused, none when Stopped), so it survives restarts and is shared by all instances.
 *   Start: Stopped|Paused -> Running   Pause: Running -> Paused   Stop: Running|Paused -> Stopped
 * Every other transition is 409.
 */
@Injectable()
export class StopwatchOperations {
  private async state(ctx: OperationContext, lock = false) {
    const [row] = await rows(ctx.manager, STATE_SQL + (lock ? ' FOR UPDATE' : ''), [
      ctx.key!.TaskItemId,
      callerContactId(ctx),
    ]);
    return row
      ? { State: row.State as string, ElapsedSeconds: Number(row.ElapsedSeconds) }
      : { State: 'Stopped', ElapsedSeconds: 0 };
  }

  private illegal(from: string, action: string): never {
    throw new ODataError(409, ErrorCode.Conflict, `Cannot ${action} a stopwatch that is ${from}`);
  }

  @ODataFunction({
    name: 'GetStopwatch',
    bindTo: { entitySet: 'Task' },
    returns: 'StopwatchState',
    complexTypes: [STOPWATCH_STATE],
  })
  async get(ctx: OperationContext): Promise<OperationResult> {
    return { kind: 'value', value: await this.state(ctx) };
  }

  @ODataAction({
    name: 'StartStopwatch',
    bindTo: { entitySet: 'Task' },
    returns: 'StopwatchState',
    complexTypes: [STOPWATCH_STATE],
  })
  async start(ctx: OperationContext): Promise<OperationResult> {
    const current = await this.state(ctx, true);
    if (current.State === 'Running') this.illegal('running', 'start');
    await ctx.manager.query(
      `INSERT INTO stopwatch ("TaskItemId", "ContactId", "State", "FirstStartedDateTime", "RunningSinceDateTime", "AccumulatedSeconds")
       VALUES ($1, $2, 'Running', now(), now(), 0)
       ON CONFLICT ("TaskItemId", "ContactId") DO UPDATE SET "State" = 'Running', "RunningSinceDateTime" = now()`,
      [ctx.key!.TaskItemId, callerContactId(ctx)],
    );
    return { kind: 'value', value: await this.state(ctx) };
  }

  @ODataAction({
    name: 'PauseStopwatch',
    bindTo: { entitySet: 'Task' },
    returns: 'StopwatchState',
    complexTypes: [STOPWATCH_STATE],
  })
  async pause(ctx: OperationContext): Promise<OperationResult> {
    const current = await this.state(ctx, true);
    if (current.State !== 'Running') this.illegal(current.State.toLowerCase(), 'pause');
    await ctx.manager.query(
      `UPDATE stopwatch SET "State" = 'Paused', "AccumulatedSeconds" = "AccumulatedSeconds" + EXTRACT(EPOCH FROM now() - "RunningSinceDateTime"), "RunningSinceDateTime" = NULL
       WHERE "TaskItemId" = $1 AND "ContactId" = $2`,
      [ctx.key!.TaskItemId, callerContactId(ctx)],
    );
    return { kind: 'value', value: await this.state(ctx) };
  }

  @ODataAction({ name: 'StopStopwatch', bindTo: { entitySet: 'Task' }, returns: 'TimeEntry' })
  async stop(ctx: OperationContext): Promise<OperationResult> {
    const current = await this.state(ctx, true);
    if (current.State === 'Stopped') this.illegal('stopped', 'stop');
    const [entry] = await rows(
      ctx.manager,
      `WITH sw AS (DELETE FROM stopwatch WHERE "TaskItemId" = $1 AND "ContactId" = $2 RETURNING *)
       INSERT INTO time_entry ("TaskItemId", "ContactId", "StartDateTime", "EndDateTime", "DurationMinutes", "IsBillable")
       SELECT sw."TaskItemId", sw."ContactId", sw."FirstStartedDateTime", now(),
              (sw."AccumulatedSeconds" + COALESCE(EXTRACT(EPOCH FROM now() - sw."RunningSinceDateTime"), 0)) / 60.0, t."IsBillable"
       FROM sw JOIN task t ON t."TaskItemId" = sw."TaskItemId"
       RETURNING "TimeEntryId"`,
      [ctx.key!.TaskItemId, callerContactId(ctx)],
    );
    return { kind: 'entity', entitySet: 'TimeEntry', key: { TimeEntryId: entry.TimeEntryId } };
  }
}
