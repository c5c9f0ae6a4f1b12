import { escapeHtml } from '../api/html';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BoardApi } from '../api/board-api';
import { ODataRequestError } from '../api/odata-http';
import type { Contact, TaskDetails } from '../api/types';
import { useToasts } from '../ui/toasts';
import { ChecklistSection } from './ChecklistSection';
import { ContributorsSection } from './ContributorsSection';
import { NotesSection } from './NotesSection';
import { StopwatchSection } from './StopwatchSection';

interface TaskDialogProps {
  api: BoardApi;
  taskId: string;
  contacts: Contact[];
  onClose(): void;
  onSaved(): void;
}

interface Draft {
  Name: string;
  Description: string;
  ContactId: string;
  Due: string;
  Tags: string;
  IsDone: boolean;
}

/**
 * A card opened: its fields, checklist, notes, contributors and stopwatch. Saving sends the
 * ETag the form was loaded with, so an edit made elsewhere in between is a 412: the form then
 * shows the newer version instead of overwriting it.
 */
export function TaskDialog({ api, taskId, contacts, onClose, onSaved }: TaskDialogProps) {
  const toast = useToasts();
  const dialog = useRef<HTMLDialogElement>(null);
  const [task, setTask] = useState<TaskDetails | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [conflict, setConflict] = useState(false);

  // The board re-renders on every live change; the callbacks it passes are new each time. Held
  // in a ref, they do not make the form reload (and drop what the user is typing).
  const close = useRef(onClose);
  close.current = onClose;

  const load = useCallback(async () => {
    try {
      const t = await api.task(taskId);
      setTask(t);
      setDraft(toDraft(t));
    } catch (e) {
      toast.error(e);
      close.current();
    }
  }, [api, taskId, toast]);

  useEffect(() => {
    void load();
    if (!dialog.current?.open) dialog.current?.showModal();
  }, [load]);

  const save = async () => {
    if (!task || !draft) return;
    try {
      const saved = await api.updateTask(task.TaskItemId, task['@odata.etag'], fromDraft(draft));
      setTask(saved);
      setDraft(toDraft(saved));
      setConflict(false);
      onSaved();
      toast.info('Saved');
    } catch (e) {
      if (e instanceof ODataRequestError && e.status === 412) {
        await load(); // the newer version first, then the notice that says it is shown
        setConflict(true);
      }
      toast.error(e);
    }
  };

  return (
    <dialog ref={dialog} className="task-dialog" aria-label="Task" onClose={onClose} onCancel={onClose}>
      {!task || !draft ? (
        <p>Loading…</p>
      ) : (
        <>
          <header className="task-dialog__header">
            <h2>{task.Name || 'Untitled'}</h2>
            <button
              type="button"
              className="icon-button"
              aria-label="Close"
              onClick={() => dialog.current?.close()}
            >
              ×
            </button>
          </header>
          {conflict && (
            <p className="conflict" role="alert">
              This task was changed by someone else while you edited it. The latest version is shown; make
              your change again.
            </p>
          )}
          <form
            className="task-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label>
              Name{' '}
              <input
                value={draft.Name}
                onChange={(e) => setDraft({ ...draft, Name: e.target.value })}
                required
              />
            </label>
            <label>
              Description{' '}
              <textarea
                rows={3}
                value={draft.Description}
                onChange={(e) => setDraft({ ...draft, Description: e.target.value })}
              />
            </label>
            <div className="row">
              <label>
                Assignee
                <select
                  value={draft.ContactId}
                  onChange={(e) => setDraft({ ...draft, ContactId: e.target.value })}
                >
                  <option value="">Nobody</option>
                  {contacts.map((c) => (
                    <option key={c.ContactId} value={c.ContactId}>
                      {c.DisplayName}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Due{' '}
                <input
                  type="date"
                  value={draft.Due}
                  onChange={(e) => setDraft({ ...draft, Due: e.target.value })}
                />
              </label>
            </div>
            <label>
              Tags{' '}
              <input
                value={draft.Tags}
                placeholder="comma, separated"
                onChange={(e) => setDraft({ ...draft, Tags: e.target.value })}
              />
            </label>
            <label className="inline">
              <input
                type="checkbox"
                checked={draft.IsDone}
                onChange={(e) => setDraft({ ...draft, IsDone: e.target.checked })}
              />{' '}
              Done
            </label>
            <button type="submit">Save</button>
          </form>
          <StopwatchSection api={api} taskId={taskId} />
          <ChecklistSection api={api} taskId={taskId} />
          <ContributorsSection api={api} taskId={taskId} contacts={contacts} />
          <NotesSection api={api} taskId={taskId} />
        </>
      )}
    </dialog>
  );
}

function toDraft(t: TaskDetails): Draft {
  return {
    Name: t.Name ?? '',
    Description: htmlToText(t.DescriptionHTML ?? ''),
    ContactId: t.ContactId ?? '',
    Due: t.EndDateTime ? t.EndDateTime.slice(0, 10) : '',
    Tags: t.Tags.join(', '),
    IsDone: t.IsDone,
  };
}

function fromDraft(d: Draft): Partial<TaskDetails> {
  return {
    Name: d.Name,
    DescriptionHTML: d.Description
      ? d.Description.split('\n')
          .map((line) => `<p>${escapeHtml(line)}</p>`)
          .join('')
      : null,
    ContactId: d.ContactId || null,
    EndDateTime: d.Due ? `${d.Due}T17:00:00Z` : null,
    Tags: d.Tags.split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    IsDone: d.IsDone,
  };
}

/** The description's text, read through the browser's own HTML parser (never inserted as HTML). */
function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return (
    [...doc.body.querySelectorAll('p')].map((p) => p.textContent ?? '').join('\n') ||
    (doc.body.textContent ?? '')
  );
}
