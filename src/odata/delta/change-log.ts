import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../access/access-policy';

/** A key whose row may now differ from what a delta link's client holds. */
export interface ChangeCandidate {
  key: string;
  /**
   * The row did not exist when the link was issued (its first unseen change created it): when it
   * is not in the client's set now, the client never had it and there is nothing to remove.
   */
  fresh: boolean;
}

/**
 * Where a feature keeps its change log; the core turns candidates into a delta (it re-reads each
 * candidate with the link's query and the caller's scope, so the log only has to say which rows to
 * look at, never what they look like to whom).
 */
export interface ChangeLog {
  /** Entity sets whose changes the log records (CSDL: Capabilities.ChangeTracking). */
  readonly sets: ReadonlySet<string>;
  /** How long the log keeps what a delta link needs; older links are 410 Gone. */
  readonly retentionMs: number;
  /**
   * Keys of `set`, in ascending order and greater than `after`, whose row may have changed for
   * `caller` since `snapshot` (a pg_snapshot): written by a transaction that snapshot did not see,
   * deleted with their project, or in a project whose membership of the caller changed.
   */
  candidates(
    manager: EntityManager,
    set: string,
    snapshot: string,
    caller: Caller | undefined,
    after: string | undefined,
    limit: number,
  ): Promise<ChangeCandidate[]>;
}

export const ODATA_CHANGE_LOG = 'odata:change-log';

/**
 * Marks the provider that keeps the change log of `sets`. The core finds it at boot
 * (odata-extensions.ts) and the EDM model says which sets track changes before it is frozen.
 */
export const ODataChangeLog = (sets: readonly string[]) => SetMetadata(ODATA_CHANGE_LOG, sets);
