import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BoardApi } from './api/board-api';
import { ODataHttp, ODataRequestError } from './api/odata-http';
import type { Contact, Project } from './api/types';
import { Board } from './board/Board';
import { useToasts } from './ui/toasts';

const TOKEN_KEY = 'odata-tasks.token';
const PROJECT_KEY = 'odata-tasks.project';

/** Sign in with an API token, pick a project, work its board. */
export function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const api = useMemo(() => (token ? new BoardApi(new ODataHttp(token)) : null), [token]);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
  }, []);
  if (!api) {
    return (
      <SignIn
        onSignedIn={(t) => {
          sessionStorage.setItem(TOKEN_KEY, t);
          setToken(t);
        }}
      />
    );
  }
  return <Workspace api={api} onSignOut={signOut} />;
}

function SignIn({ onSignedIn }: { onSignedIn(token: string): void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <main className="sign-in">
      <h1>Tasks board</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const token = value.trim();
          try {
            // Any authenticated read proves the token.
            await new ODataHttp(token).send('Project?$top=0');
            onSignedIn(token);
          } catch (err) {
            setError(
              err instanceof ODataRequestError && err.status === 401
                ? 'That token is not valid.'
                : (err as Error).message,
            );
          }
        }}
      >
        <label>
          API token
          <input
            type="password"
            autoComplete="current-password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            required
            autoFocus
          />
        </label>
        <button type="submit">Sign in</button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <p className="muted">
          Create one with <code>npm run token -- create --contact &lt;id&gt;</code>; the demo data has{' '}
          <code>demo-editor-token</code>.
        </p>
      </form>
    </main>
  );
}

function Workspace({ api, onSignOut }: { api: BoardApi; onSignOut(): void }) {
  const toast = useToasts();
  const [projects, setProjects] = useState<Project[]>([]);
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [projectId, setProjectId] = useState<string>(() => localStorage.getItem(PROJECT_KEY) ?? '');

  useEffect(() => {
    api.projects().then(
      (list) => {
        setProjects(list);
        setProjectId((current) =>
          list.some((p) => p.ProjectId === current) ? current : (list[0]?.ProjectId ?? ''),
        );
      },
      (e) => {
        if (e instanceof ODataRequestError && e.status === 401) onSignOut();
        else toast.error(e);
      },
    );
    api.contacts().then(setContacts, toast.error);
  }, [api, toast, onSignOut]);

  useEffect(() => {
    if (projectId) localStorage.setItem(PROJECT_KEY, projectId);
  }, [projectId]);

  // Deleted here or on another board: the project leaves the list and the next one opens.
  const projectsRef = useRef(projects);
  projectsRef.current = projects;
  const forgetProject = useCallback(
    (deleted: string) => {
      const gone = projectsRef.current.find((p) => p.ProjectId === deleted);
      if (!gone) return; // already forgotten (this board's own delete comes back as an event too)
      const rest = projectsRef.current.filter((p) => p !== gone);
      projectsRef.current = rest;
      setProjects(rest);
      setProjectId((current) => (current === deleted ? (rest[0]?.ProjectId ?? '') : current));
      toast.info(`Project "${gone.Name}" was deleted`);
    },
    [toast],
  );

  const deleteProject = async () => {
    const project = projects.find((p) => p.ProjectId === projectId);
    if (
      !project ||
      !window.confirm(
        `Delete the project "${project.Name}" with all its columns and cards? This cannot be undone.`,
      )
    )
      return;
    try {
      await api.deleteProject(project.ProjectId);
      forgetProject(project.ProjectId);
    } catch (e) {
      toast.error(e);
    }
  };

  return (
    <div className="workspace">
      <header className="topbar">
        <h1>Tasks board</h1>
        <label className="inline">
          Project
          <select aria-label="Project" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
            {projects.map((p) => (
              <option key={p.ProjectId} value={p.ProjectId}>
                {p.Name}
              </option>
            ))}
          </select>
        </label>
        {projectId && (
          <button type="button" className="link-button" onClick={() => void deleteProject()}>
            Delete project
          </button>
        )}
        <span className="spacer" />
        <a href="/docs" className="muted">
          API
        </a>
        <button type="button" className="link-button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {projectId ? (
        <Board
          key={projectId}
          api={api}
          projectId={projectId}
          contacts={contacts}
          onProjectDeleted={forgetProject}
        />
      ) : (
        <p className="empty">No project you can see yet.</p>
      )}
    </div>
  );
}
