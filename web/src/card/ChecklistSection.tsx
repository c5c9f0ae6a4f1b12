import { useCallback, useState } from 'react';
import type { BoardApi } from '../api/board-api';
import type { ChecklistItem } from '../api/types';
import { useTaskData } from './use-task-data';

export function ChecklistSection({ api, taskId }: { api: BoardApi; taskId: string }) {
  const { data: items, change } = useTaskData<ChecklistItem[]>(
    useCallback(() => api.checklist(taskId), [api, taskId]),
    [],
  );
  const [name, setName] = useState('');
  const done = items.filter((i) => i.IsDone).length;
  const nextPosition = (items[items.length - 1]?.OrdinalPosition ?? 0) + 1;
  return (
    <section className="task-section" aria-label="Checklist">
      <h3>
        Checklist{' '}
        {items.length > 0 && (
          <span className="muted">
            {done}/{items.length}
          </span>
        )}
      </h3>
      <ul className="checklist">
        {items.map((item) => (
          <li key={item.ChecklistItemId}>
            <label className="inline">
              <input
                type="checkbox"
                checked={item.IsDone}
                onChange={(e) => void change(() => api.setChecklistItemDone(item, e.target.checked))}
              />
              {item.Name}
            </label>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (name.trim() && (await change(() => api.addChecklistItem(taskId, name.trim(), nextPosition))))
            setName('');
        }}
      >
        <input
          aria-label="New checklist item"
          placeholder="Add an item"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit">Add item</button>
      </form>
    </section>
  );
}
