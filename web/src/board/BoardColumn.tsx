import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useState } from 'react';
import type { Card, Column } from '../api/types';
import { ColumnSettings } from './ColumnSettings';
import { SortableTaskCard } from './TaskCard';

interface BoardColumnProps {
  column: Column;
  cardIds: string[];
  cards: Record<string, Card>;
  /** Every card of the column, filter or not: what its work-in-progress limit counts. */
  total: number;
  canMoveLeft: boolean;
  canMoveRight: boolean;
  onOpen(id: string): void;
  onToggleDone(card: Card): void;
  onAddCard(column: Column, name: string): Promise<void>;
  onSaveColumn(column: Column, changes: Partial<Column>): Promise<void>;
  onMoveColumn(column: Column, direction: -1 | 1): Promise<void>;
  onDeleteColumn(column: Column): Promise<void>;
}

export function BoardColumn(props: BoardColumnProps) {
  const { column, cardIds, cards, total } = props;
  const { setNodeRef, isOver } = useDroppable({ id: column.TaskItemStatusId, data: { type: 'column' } });
  const [adding, setAdding] = useState(false);
  const [newName, setNewName] = useState('');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const limit = column.WipLimit;
  const full = limit !== null && total >= limit;
  const over = limit !== null && total > limit;
  const filtered = cardIds.length !== total;

  return (
    <section
      className={`column${full ? ' column--full' : ''}${over ? ' column--over' : ''}${isOver ? ' column--target' : ''}`}
      aria-label={`Column ${column.Name}`}
      data-status-id={column.TaskItemStatusId}
    >
      <header className="column__header">
        <h2 className="column__name">{column.Name || 'Untitled'}</h2>
        <span
          className="column__count"
          title={
            limit !== null
              ? `Work-in-progress limit ${limit}${column.IsWipLimitHard ? ' (hard)' : ''}`
              : 'Cards'
          }
        >
          {filtered ? `${cardIds.length} of ${total}` : total}
          {limit !== null && ` / ${limit}`}
        </span>
        {full && (
          <span className="column__full" role="status">
            {over ? 'over limit' : 'full'}
          </span>
        )}
        <button
          type="button"
          className="icon-button"
          aria-label={`Column settings for ${column.Name}`}
          aria-expanded={settingsOpen}
          onClick={() => setSettingsOpen(!settingsOpen)}
        >
          ⋯
        </button>
      </header>
      {settingsOpen && (
        <ColumnSettings
          column={column}
          canMoveLeft={props.canMoveLeft}
          canMoveRight={props.canMoveRight}
          onSave={async (changes) => {
            await props.onSaveColumn(column, changes);
            setSettingsOpen(false);
          }}
          onMove={(direction) => props.onMoveColumn(column, direction)}
          onDelete={() => props.onDeleteColumn(column)}
          onClose={() => setSettingsOpen(false)}
        />
      )}
      <SortableContext id={column.TaskItemStatusId} items={cardIds} strategy={verticalListSortingStrategy}>
        <ol ref={setNodeRef} className="column__cards" aria-label={`Cards in ${column.Name}`}>
          {cardIds.map((id) =>
            cards[id] ? (
              <SortableTaskCard
                key={id}
                card={cards[id]}
                onOpen={props.onOpen}
                onToggleDone={props.onToggleDone}
              />
            ) : null,
          )}
        </ol>
      </SortableContext>
      {adding ? (
        <form
          className="column__add-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!newName.trim()) return;
            await props.onAddCard(column, newName.trim());
            setNewName('');
          }}
        >
          <input
            autoFocus
            aria-label={`New card in ${column.Name}`}
            placeholder="Card name"
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
          />
          <button type="submit">Add</button>
          <button type="button" className="link-button" onClick={() => setAdding(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="column__add" onClick={() => setAdding(true)}>
          + Add a card
        </button>
      )}
    </section>
  );
}
