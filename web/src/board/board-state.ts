import type { Card, Column } from '../api/types';

/** Card keys per column key, each in CardPositionNumber order. */
export type Lanes = Record<string, string[]>;

export function byPosition(cards: Record<string, Card>) {
  return (a: string, b: string) => {
    const d = (cards[a]?.CardPositionNumber ?? 0) - (cards[b]?.CardPositionNumber ?? 0);
    return d !== 0 ? d : a.localeCompare(b);
  };
}

export function buildLanes(columns: Column[], cards: Record<string, Card>): Lanes {
  const lanes: Lanes = Object.fromEntries(columns.map((c) => [c.TaskItemStatusId, []]));
  for (const card of Object.values(cards)) {
    if (card.TaskItemStatusId && lanes[card.TaskItemStatusId])
      lanes[card.TaskItemStatusId].push(card.TaskItemId);
  }
  const order = byPosition(cards);
  for (const lane of Object.values(lanes)) lane.sort(order);
  return lanes;
}

/** The column that holds a card, or the column whose key this is (a drop on an empty column). */
export function laneOf(lanes: Lanes, id: string): string | undefined {
  if (id in lanes) return id;
  return Object.keys(lanes).find((lane) => lanes[lane].includes(id));
}

/** Merges fresh rows into the board: changed cards replace theirs, `gone` ones leave. */
export function mergeCards(cards: Record<string, Card>, fresh: Card[], gone: string[]): Record<string, Card> {
  const next = { ...cards };
  for (const id of gone) delete next[id];
  for (const card of fresh) next[card.TaskItemId] = card;
  return next;
}

/** Applies the positions a MoveTaskItem answered (every card whose position changed). */
export function applyPositions(
  cards: Record<string, Card>,
  positions: Array<{ TaskItemId: string; TaskItemStatusId: string; CardPositionNumber: number }>,
): Record<string, Card> {
  const next = { ...cards };
  for (const p of positions) {
    const card = next[p.TaskItemId];
    if (card)
      next[p.TaskItemId] = {
        ...card,
        TaskItemStatusId: p.TaskItemStatusId,
        CardPositionNumber: p.CardPositionNumber,
      };
  }
  return next;
}

export function formatDue(iso: string | null): string | undefined {
  if (!iso) return undefined;
  return new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function isOverdue(card: Card, now = Date.now()): boolean {
  return !!card.EndDateTime && !card.IsDone && new Date(card.EndDateTime).getTime() < now;
}
