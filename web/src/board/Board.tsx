import {
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MeasuringStrategy,
  PointerSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { arrayMove, sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BoardApi, BoardLinks } from '../api/board-api';
import { ODataRequestError } from '../api/odata-http';
import type { BoardFilter, Card, Column, Contact } from '../api/types';
import { TaskDialog } from '../card/TaskDialog';
import { followProject, type ChangeEvent } from '../live/change-stream';
import { useToasts } from '../ui/toasts';
import { BoardColumn } from './BoardColumn';
import { BoardToolbar } from './BoardToolbar';
import { applyPositions, buildLanes, laneOf, mergeCards, type Lanes } from './board-state';
import { CardFace } from './TaskCard';

// Cards change columns while they are dragged; measuring droppables continuously keeps the
// keyboard sensor's next target right after each move.
const MEASURING = { droppable: { strategy: MeasuringStrategy.Always } };

interface BoardProps {
  api: BoardApi;
  projectId: string;
  contacts: Contact[];
  /** The project was deleted, here or elsewhere (its change stream says so). */
  onProjectDeleted(projectId: string): void;
}

/** One project's Kanban board: columns, cards, drag and drop, filters, live changes. */
export function Board({ api, projectId, contacts, onProjectDeleted }: BoardProps) {
  const toast = useToasts();
  const [columns, setColumns] = useState<Column[]>([]);
  const [cards, setCards] = useState<Record<string, Card>>({});
  // While a card is dragged, the lanes it passes through; otherwise lanes follow the cards.
  const [dragLanes, setDragLanes] = useState<Lanes | null>(null);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [filter, setFilter] = useState<BoardFilter>({});
  const [loading, setLoading] = useState(true);
  const [live, setLive] = useState(false);
  const [openTaskId, setOpenTaskId] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const dragStart = useRef<{ lanes: Lanes; cards: Record<string, Card> } | null>(null);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const settled = useMemo(() => buildLanes(columns, cards), [columns, cards]);
  const lanes = dragLanes ?? settled;

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  // Delta links taken with each reload: after a lost change stream they say what changed since.
  const deltaLinks = useRef<BoardLinks | null>(null);

  const reload = useCallback(async () => {
    try {
      deltaLinks.current = await api.trackBoard(projectId).catch(() => null);
      const [cols, rows, totals] = await Promise.all([
        api.columns(projectId),
        api.cards(projectId, filterRef.current),
        api.cardCounts(projectId),
      ]);
      const byId = Object.fromEntries(rows.map((c) => [c.TaskItemId, c]));
      setColumns(cols);
      setCards(byId);
      setCounts(totals);
    } catch (e) {
      toast.error(e);
    } finally {
      setLoading(false);
    }
  }, [api, projectId, toast]);

  useEffect(() => {
    setLoading(true);
    void reload();
  }, [reload, filter]);

  // Live: changes made anywhere (another tab, another user, a script) arrive from the change
  // stream. Task keys are gathered for a moment and re-read in one request through the board's
  // filter; while a card is being dragged they wait, so the board never jumps under the pointer.
  const pending = useRef<{ tasks: Set<string>; columns: boolean; timer: number | undefined }>({
    tasks: new Set(),
    columns: false,
    timer: undefined,
  });
  const flush = useCallback(async () => {
    const work = pending.current;
    work.timer = undefined;
    if (dragStart.current) return; // resumed on drop
    const ids = [...work.tasks];
    const columnsChanged = work.columns;
    work.tasks.clear();
    work.columns = false;
    try {
      if (columnsChanged) {
        await reload();
        return;
      }
      if (!ids.length) return;
      const [fresh, totals] = await Promise.all([
        api.cards(projectId, filterRef.current, ids),
        api.cardCounts(projectId),
      ]);
      const freshIds = new Set(fresh.map((c) => c.TaskItemId));
      setCards((current) =>
        mergeCards(
          current,
          fresh,
          ids.filter((id) => !freshIds.has(id)),
        ),
      );
      setCounts(totals);
    } catch (e) {
      toast.error(e);
    }
  }, [api, projectId, reload, toast]);

  const schedule = useCallback(() => {
    if (pending.current.timer === undefined)
      pending.current.timer = window.setTimeout(() => void flush(), 120);
  }, [flush]);

  // After a lost connection (or events too old to replay) the delta links name what changed
  // since they were taken: those cards are re-read like live changes, the board is not reloaded.
  // A link that expired (410) or failed falls back to a reload, which takes new links.
  const catchUp = useCallback(async () => {
    const links = deltaLinks.current;
    try {
      if (!links) throw new Error('no delta links');
      const [tasks, columns] = await Promise.all([
        api.changesSince(links.tasks),
        api.changesSince(links.columns),
      ]);
      deltaLinks.current = { tasks: tasks.deltaLink, columns: columns.deltaLink };
      tasks.keys.forEach((key) => pending.current.tasks.add(key));
      if (columns.keys.length) pending.current.columns = true;
    } catch {
      pending.current.columns = true;
    }
    schedule();
  }, [api, schedule]);

  useEffect(() => {
    let lost = false;
    const stop = followProject(projectId, api.http.authorization, {
      onChange: (event: ChangeEvent) => {
        if (event.entitySet === 'Project' && event.kind === 'deleted') return onProjectDeleted(event.key);
        if (event.entitySet === 'Task') pending.current.tasks.add(event.key);
        else if (event.entitySet === 'TaskStatus') pending.current.columns = true;
        else return;
        schedule();
      },
      onReset: () => void catchUp(),
      onStatus: (connected) => {
        setLive(connected);
        if (!connected) lost = true;
        else if (lost) {
          lost = false;
          void catchUp();
        }
      },
    });
    return stop;
  }, [api, projectId, schedule, catchUp, onProjectDeleted]);

  const onDragStart = ({ active }: DragStartEvent) => {
    dragStart.current = { lanes, cards };
    setDragLanes(lanes);
    setActiveId(String(active.id));
  };

  // Crossing into another column moves the card there at once, so the column opens a gap.
  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    setDragLanes((current) => {
      if (!current) return current;
      const from = laneOf(current, String(active.id));
      const to = laneOf(current, String(over.id));
      if (!from || !to || from === to) return current;
      const target = [...current[to]];
      const overIndex = target.indexOf(String(over.id));
      target.splice(overIndex < 0 ? target.length : overIndex, 0, String(active.id));
      return { ...current, [from]: current[from].filter((id) => id !== active.id), [to]: target };
    });
  };

  const endDrag = () => {
    dragStart.current = null;
    setDragLanes(null);
    setActiveId(null);
    if (pending.current.tasks.size || pending.current.columns) schedule();
  };

  const onDragEnd = async ({ active, over }: DragEndEvent) => {
    const start = dragStart.current;
    const id = String(active.id);
    const lane = dragLanes ? laneOf(dragLanes, id) : undefined;
    if (!start || !dragLanes || !over || !lane) {
      endDrag();
      return;
    }
    let order = dragLanes[lane];
    if (laneOf(dragLanes, String(over.id)) === lane && over.id !== id && order.includes(String(over.id))) {
      order = arrayMove(order, order.indexOf(id), order.indexOf(String(over.id)));
    }
    const after = order[order.indexOf(id) - 1] ?? null;
    const previousLane = laneOf(start.lanes, id);
    const previousAfter = previousLane
      ? (start.lanes[previousLane][start.lanes[previousLane].indexOf(id) - 1] ?? null)
      : null;
    endDrag();
    if (previousLane === lane && previousAfter === after) return;
    // Shown at once where it was dropped; the service's answer confirms or puts it back.
    setCards((current) => placeCard(current, id, lane, order));
    try {
      const result = await api.moveCard(id, lane, after);
      setCards((current) => applyPositions(current, result.Positions));
      if (result.WipLimitExceeded)
        toast.info(
          `“${columns.find((c) => c.TaskItemStatusId === lane)?.Name}” is over its work-in-progress limit`,
        );
      setCounts((c) =>
        previousLane && previousLane !== lane
          ? { ...c, [previousLane]: (c[previousLane] ?? 1) - 1, [lane]: (c[lane] ?? 0) + 1 }
          : c,
      );
    } catch (e) {
      setCards(start.cards); // the card goes back where it was
      toast.error(e);
    }
  };

  const onDragCancel = () => endDrag();

  // Shown done (or not) at once; the service's answer confirms it, a refusal puts it back.
  const toggleDone = useCallback(
    async (card: Card) => {
      const flip = (isDone: boolean) =>
        setCards((current) => ({
          ...current,
          [card.TaskItemId]: { ...current[card.TaskItemId], IsDone: isDone },
        }));
      flip(!card.IsDone);
      try {
        const updated = await api.updateTask(card.TaskItemId, card['@odata.etag'], { IsDone: !card.IsDone });
        setCards((current) => ({
          ...current,
          [card.TaskItemId]: { ...current[card.TaskItemId], ...updated },
        }));
      } catch (e) {
        flip(card.IsDone);
        toast.error(e);
        if (e instanceof ODataRequestError && e.status === 412) {
          pending.current.tasks.add(card.TaskItemId);
          schedule();
        }
      }
    },
    [api, schedule, toast],
  );

  const addCard = async (column: Column, name: string) => {
    const lane = lanes[column.TaskItemStatusId] ?? [];
    try {
      await api.createCard(projectId, column.TaskItemStatusId, name, lane[lane.length - 1] ?? null);
      await reload(); // shown now, not when the change stream reports it
    } catch (e) {
      toast.error(e);
    }
  };

  const saveColumn = async (column: Column, changes: Partial<Column>) => {
    try {
      await api.updateColumn(column, changes);
    } catch (e) {
      toast.error(e);
    }
    await reload();
  };

  const moveColumn = async (column: Column, direction: -1 | 1) => {
    const index = columns.indexOf(column);
    const other = columns[index + direction];
    if (!other) return;
    try {
      if (other.OrdinalPosition === column.OrdinalPosition) {
        await api.updateColumn(column, { OrdinalPosition: column.OrdinalPosition + direction });
      } else {
        await api.swapColumns(column, other);
      }
    } catch (e) {
      toast.error(e);
    }
    await reload();
  };

  const deleteColumn = async (column: Column) => {
    const moved = counts[column.TaskItemStatusId] ?? 0;
    const question = moved
      ? `Delete “${column.Name}”? Its ${moved} card(s) move to the first remaining column.`
      : `Delete “${column.Name}”?`;
    if (!window.confirm(question)) return;
    try {
      await api.deleteColumn(column);
    } catch (e) {
      toast.error(e);
    }
    await reload();
  };

  const addColumn = async (name: string) => {
    const last = columns[columns.length - 1];
    try {
      await api.addColumn(projectId, name, (last?.OrdinalPosition ?? 0) + 1);
    } catch (e) {
      toast.error(e);
    }
    await reload();
  };

  const activeCard = activeId ? cards[activeId] : undefined;
  const visible = useMemo(() => Object.values(lanes).reduce((n, l) => n + l.length, 0), [lanes]);

  return (
    <div className="board" aria-busy={loading}>
      <BoardToolbar
        contacts={contacts}
        filter={filter}
        onFilter={setFilter}
        onAddColumn={addColumn}
        live={live}
        visibleCards={visible}
      />
      <DndContext
        sensors={sensors}
        measuring={MEASURING}
        collisionDetection={closestCorners}
        onDragStart={onDragStart}
        onDragOver={onDragOver}
        onDragEnd={onDragEnd}
        onDragCancel={onDragCancel}
      >
        <div className="columns">
          {columns.map((column, index) => (
            <BoardColumn
              key={column.TaskItemStatusId}
              column={column}
              cardIds={lanes[column.TaskItemStatusId] ?? []}
              cards={cards}
              total={counts[column.TaskItemStatusId] ?? 0}
              canMoveLeft={index > 0}
              canMoveRight={index < columns.length - 1}
              onOpen={setOpenTaskId}
              onToggleDone={toggleDone}
              onAddCard={addCard}
              onSaveColumn={saveColumn}
              onMoveColumn={moveColumn}
              onDeleteColumn={deleteColumn}
            />
          ))}
          {!loading && columns.length === 0 && (
            <p className="empty">This project has no columns yet: add one above.</p>
          )}
        </div>
        <DragOverlay>
          {activeCard ? (
            <div className="card card--overlay">
              <CardFace card={activeCard} onOpen={() => undefined} onToggleDone={() => undefined} />
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
      {openTaskId && (
        <TaskDialog
          api={api}
          taskId={openTaskId}
          contacts={contacts}
          onClose={() => setOpenTaskId(null)}
          onSaved={() => {
            pending.current.tasks.add(openTaskId);
            schedule();
          }}
        />
      )}
    </div>
  );
}

/** The card in `lane` at its place in `order`, numbered as the service will number it. */
function placeCard(
  cards: Record<string, Card>,
  id: string,
  lane: string,
  order: string[],
): Record<string, Card> {
  const next = { ...cards, [id]: { ...cards[id], TaskItemStatusId: lane } };
  order.forEach((cardId, index) => {
    if (next[cardId]) next[cardId] = { ...next[cardId], CardPositionNumber: index + 1 };
  });
  return next;
}
