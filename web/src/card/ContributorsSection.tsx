import { useCallback, useState } from 'react';
import type { BoardApi } from '../api/board-api';
import type { Contact, Contributor } from '../api/types';
import { useTaskData } from './use-task-data';

export function ContributorsSection({
  api,
  taskId,
  contacts,
}: {
  api: BoardApi;
  taskId: string;
  contacts: Contact[];
}) {
  const { data: contributors, change } = useTaskData<Contributor[]>(
    useCallback(() => api.contributors(taskId), [api, taskId]),
    [],
  );
  const [contactId, setContactId] = useState('');
  const [hours, setHours] = useState('1');
  const nameOf = (id: string) => contacts.find((c) => c.ContactId === id)?.DisplayName ?? id;
  return (
    <section className="task-section" aria-label="Contributors">
      <h3>Contributors</h3>
      <ul className="contributors">
        {contributors.map((c) => (
          <li key={c.Id}>
            <span>{nameOf(c.ContactId)}</span> <span className="muted">{c.WorkAmount} h</span>
            <button
              type="button"
              className="link-button"
              aria-label={`Remove ${nameOf(c.ContactId)}`}
              onClick={() => void change(() => api.removeContributor(taskId, c.Id))}
            >
              remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (contactId && (await change(() => api.addContributor(taskId, contactId, Number(hours) || 0))))
            setContactId('');
        }}
      >
        <select aria-label="Contributor" value={contactId} onChange={(e) => setContactId(e.target.value)}>
          <option value="">Choose a person</option>
          {contacts.map((c) => (
            <option key={c.ContactId} value={c.ContactId}>
              {c.DisplayName}
            </option>
          ))}
        </select>
        <input
          aria-label="Work amount (hours)"
          type="number"
          min={0}
          step={0.5}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          size={4}
        />
        <button type="submit">Add contributor</button>
      </form>
    </section>
  );
}
