import { useCallback, useEffect, useState } from 'react';
import type { BoardApi } from '../api/board-api';
import type { Note } from '../api/types';
import { useToasts } from '../ui/toasts';

export function NotesSection({ api, taskId }: { api: BoardApi; taskId: string }) {
  const toast = useToasts();
  const [notes, setNotes] = useState<Note[]>([]);
  const [text, setText] = useState('');
  const load = useCallback(() => api.notes(taskId).then(setNotes, toast.error), [api, taskId, toast]);
  useEffect(() => void load(), [load]);
  return (
    <section className="task-section" aria-label="Notes">
      <h3>Notes</h3>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!text.trim()) return;
          try {
            await api.addNote(taskId, text.trim());
            setText('');
            await load();
          } catch (err) {
            toast.error(err);
          }
        }}
      >
        <input aria-label="New note" placeholder="Write a note" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit">Add note</button>
      </form>
      <ul className="notes">
        {notes.map((n) => (
          <li key={n.TaskItemNoteId}>
            <time dateTime={n.CreateDateTime}>{new Date(n.CreateDateTime).toLocaleString()}</time>
            <p>{n.Note}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
