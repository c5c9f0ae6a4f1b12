import type { EntityManager } from 'typeorm';
import { rows } from '../shared/sql';

export interface CardPosition {
  TaskItemId: string;
  TaskItemStatusId: string;
  CardPositionNumber: number;
}

/**
 * Places a card in a column, after another card (or first), in ONE statement: the target column
 * numbered 1..n with the card in its place, and the column it left (if another) closed up. Only
 * rows whose position or column changes are written (moving a card past k others writes k + 1
 * rows), and they are returned. The caller holds the locks of both columns and of the card, so the
 * statement's snapshot sees the columns as they are.
 *
 * `anchored` is false when `after` is not in the target column: then nothing is written;
 * `position` is the card's place in the column.
 */
export async function placeCard(
  m: EntityManager,
  card: string,
  target: string,
  after: string | null,
  left: string | null,
): Promise<{ anchored: boolean; position: number; changed: CardPosition[] }> {
  const out = await rows<CardPosition & { anchored: boolean | null }>(
    m,
    `WITH col AS MATERIALIZED (
       SELECT "TaskItemId" AS id, row_number() OVER (ORDER BY "CardPositionNumber", "TaskItemId")::int AS rn
       FROM task WHERE "TaskItemStatusId" = $2 AND "TaskItemId" <> $1),
     anchor AS (SELECT CASE WHEN $3::uuid IS NULL THEN 0 ELSE (SELECT rn FROM col WHERE id = $3::uuid) END AS at),
     v AS (
       SELECT c.id, CASE WHEN c.rn <= a.at THEN c.rn ELSE c.rn + 1 END AS pos, $2::uuid AS status
       FROM col c, anchor a WHERE a.at IS NOT NULL
       UNION ALL
       SELECT $1::uuid, a.at + 1, $2::uuid FROM anchor a WHERE a.at IS NOT NULL
       UNION ALL
       SELECT "TaskItemId", row_number() OVER (ORDER BY "CardPositionNumber", "TaskItemId")::int, $4::uuid
       FROM task WHERE "TaskItemStatusId" = $4::uuid AND $4::uuid <> $2::uuid AND "TaskItemId" <> $1
         AND EXISTS (SELECT 1 FROM anchor WHERE at IS NOT NULL)),
     u AS (
       UPDATE task t SET "CardPositionNumber" = v.pos, "TaskItemStatusId" = v.status
       FROM v WHERE t."TaskItemId" = v.id
         AND (t."CardPositionNumber" IS DISTINCT FROM v.pos OR t."TaskItemStatusId" IS DISTINCT FROM v.status)
       RETURNING t."TaskItemId", t."TaskItemStatusId", t."CardPositionNumber")
     SELECT u.*, NULL::boolean AS anchored FROM u
     UNION ALL SELECT NULL, NULL, at + 1, at IS NOT NULL FROM anchor`,
    [card, target, after, left],
  );
  const changed = out.filter((r) => r.anchored === null).map(({ anchored: _, ...r }) => r);
  const anchor = out.find((r) => r.anchored !== null)!;
  return { anchored: anchor.anchored!, position: anchor.CardPositionNumber, changed };
}

/** Cards in a column other than this one (for its work-in-progress limit). */
export async function cardsIn(m: EntityManager, status: string, except: string): Promise<number> {
  const [{ n }] = await rows<{ n: number }>(
    m,
    `SELECT count(*)::int AS n FROM task WHERE "TaskItemStatusId" = $1 AND "TaskItemId" <> $2`,
    [status, except],
  );
  return n;
}
