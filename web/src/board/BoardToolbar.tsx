import { useEffect, useState } from 'react';
import type { BoardFilter, Contact } from '../api/types';

interface BoardToolbarProps {
  contacts: Contact[];
  filter: BoardFilter;
  onFilter(filter: BoardFilter): void;
  onAddColumn(name: string): Promise<void>;
  live: boolean;
  visibleCards: number;
}

/** Filters (done by the service: $filter and $search) and a new column. */
export function BoardToolbar({
  contacts,
  filter,
  onFilter,
  onAddColumn,
  live,
  visibleCards,
}: BoardToolbarProps) {
  const [text, setText] = useState(filter.text ?? '');
  const [tag, setTag] = useState(filter.tag ?? '');
  const [column, setColumn] = useState('');

  // Typing waits for a pause before asking the service.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if ((filter.text ?? '') !== text || (filter.tag ?? '') !== tag)
        onFilter({ ...filter, text: text || undefined, tag: tag || undefined });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [text, tag, filter, onFilter]);

  return (
    <div className="toolbar">
      <form
        className="toolbar__filters"
        role="search"
        aria-label="Filter the board"
        onSubmit={(e) => e.preventDefault()}
      >
        <input
          type="search"
          aria-label="Search cards"
          placeholder="Search…"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <select
          aria-label="Filter by assignee"
          value={filter.assigneeId ?? ''}
          onChange={(e) => onFilter({ ...filter, assigneeId: e.target.value || undefined })}
        >
          <option value="">Anyone</option>
          {contacts.map((c) => (
            <option key={c.ContactId} value={c.ContactId}>
              {c.DisplayName}
            </option>
          ))}
        </select>
        <input
          aria-label="Filter by tag"
          placeholder="Tag"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          size={10}
        />
        <label className="inline">
          Due by{' '}
          <input
            type="date"
            aria-label="Due by"
            value={filter.dueBy ?? ''}
            onChange={(e) => onFilter({ ...filter, dueBy: e.target.value || undefined })}
          />
        </label>
        <span className="toolbar__count">{visibleCards} cards</span>
      </form>
      <form
        className="toolbar__add-column"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!column.trim()) return;
          await onAddColumn(column.trim());
          setColumn('');
        }}
      >
        <input
          aria-label="New column name"
          placeholder="New column"
          value={column}
          onChange={(e) => setColumn(e.target.value)}
          size={12}
        />
        <button type="submit">Add column</button>
      </form>
      <span
        className={`live-dot${live ? ' live-dot--on' : ''}`}
        title={live ? 'Live: changes appear as they happen' : 'Reconnecting…'}
        aria-label={live ? 'Live' : 'Offline'}
      />
    </div>
  );
}
