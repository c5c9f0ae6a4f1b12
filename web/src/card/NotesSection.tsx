import { useCallback, useState } from 'react';
import type { BoardApi } from '../api/board-api';
import type { Note } from '../api/types';
import { useTaskData } from './use-task-data';

export function NotesSection({ api, taskId }: { api: BoardApi; taskId: string }) {
  const { data: notes, change } = useTaskData<Note[]>(
    useCallback(() => api.notes(taskId), [api, taskId]),
    [],
  );
  const [text, setText] = useState('');
  return (
    <section className="task-section" aria-label="Notes">
      <h3>Notes</h3>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (text.trim() && (await change(() => api.addNote(taskId, text.trim())))) setText('');
        }}
      >
        <input
          aria-label="New note"
          placeholder="Write a note"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
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
