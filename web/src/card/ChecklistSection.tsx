import { useCallback, useEffect, useState } from 'react';
import type { BoardApi } from '../api/board-api';
import type { ChecklistItem } from '../api/types';
import { useToasts } from '../ui/toasts';

export function ChecklistSection({ api, taskId }: { api: BoardApi; taskId: string }) {
  const toast = useToasts();
  const [items, setItems] = useState<ChecklistItem[]>([]);
  const [name, setName] = useState('');
  const load = useCallback(() => api.checklist(taskId).then(setItems, toast.error), [api, taskId, toast]);
  useEffect(() => void load(), [load]);
  const done = items.filter((i) => i.IsDone).length;
  return (
    <section className="task-section" aria-label="Checklist">
      <h3>
        Checklist {items.length > 0 && <span className="muted">{done}/{items.length}</span>}
      </h3>
      <ul className="checklist">
        {items.map((item) => (
          <li key={item.ChecklistItemId}>
            <label className="inline">
              <input
                type="checkbox"
                checked={item.IsDone}
                onChange={async (e) => {
                  try {
                    await api.setChecklistItemDone(item, e.target.checked);
                  } catch (err) {
                    toast.error(err);
                  }
                  await load();
                }}
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
          if (!name.trim()) return;
          try {
            await api.addChecklistItem(taskId, name.trim(), (items[items.length - 1]?.OrdinalPosition ?? 0) + 1);
            setName('');
            await load();
          } catch (err) {
            toast.error(err);
          }
        }}
      >
        <input aria-label="New checklist item" placeholder="Add an item" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit">Add item</button>
      </form>
    </section>
  );
}
