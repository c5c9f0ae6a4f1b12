import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { memo } from 'react';
import type { Card } from '../api/types';
import { formatDue, isOverdue } from './board-state';

interface TaskCardProps {
  card: Card;
  onOpen(id: string): void;
  onToggleDone(card: Card): void;
}

/** A card in a column: draggable by pointer and keyboard (space to lift, arrows, space to drop). */
export const SortableTaskCard = memo(function SortableTaskCard({
  card,
  onOpen,
  onToggleDone,
}: TaskCardProps) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: card.TaskItemId,
    data: { type: 'card' },
  });
  return (
    <li
      ref={setNodeRef}
      className={`card${isDragging ? ' card--placeholder' : ''}${card.IsDone ? ' card--done' : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-task-id={card.TaskItemId}
      {...attributes}
      {...listeners}
      aria-roledescription="card"
      aria-label={`${card.Name ?? 'Untitled'}. Press space to move, enter to open.`}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onOpen(card.TaskItemId);
        else listeners?.onKeyDown?.(event);
      }}
    >
      <CardFace card={card} onOpen={onOpen} onToggleDone={onToggleDone} />
    </li>
  );
});

export function CardFace({ card, onOpen, onToggleDone }: TaskCardProps) {
  const due = formatDue(card.EndDateTime);
  return (
    <>
      <div className="card__top">
        <input
          type="checkbox"
          className="card__done"
          checked={card.IsDone}
          aria-label={card.IsDone ? 'Mark as not done' : 'Mark as done'}
          onPointerDown={(e) => e.stopPropagation()}
          onKeyDown={(e) => e.stopPropagation()}
          onChange={() => onToggleDone(card)}
        />
        <button type="button" className="card__name" tabIndex={-1} onClick={() => onOpen(card.TaskItemId)}>
          {card.Name || 'Untitled'}
        </button>
      </div>
      <div className="card__meta">
        {card.ContactDisplayName && (
          <span className="card__assignee" title="Assignee">
            <span className="avatar" aria-hidden="true">
              {initials(card.ContactDisplayName)}
            </span>
            {card.ContactDisplayName}
          </span>
        )}
        {due && (
          <span className={`card__due${isOverdue(card) ? ' card__due--late' : ''}`} title="Due date">
            due {due}
          </span>
        )}
        {card.ChecklistItemsCount > 0 && (
          <span className="card__checklist" title="Checklist">
            ✓ {card.CheckListItemsDoneCount}/{card.ChecklistItemsCount}
          </span>
        )}
      </div>
      {card.Tags.length > 0 && (
        <ul className="card__tags" aria-label="Tags">
          {card.Tags.map((tag) => (
            <li key={tag} className="tag">
              {tag}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}
