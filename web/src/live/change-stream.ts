import { EventSource } from 'eventsource';
import { SERVICE_ROOT } from '../api/odata-http';

/** One committed change, as the service's change stream (/odata/$events) sends it. */
export interface ChangeEvent {
  id: string;
  entitySet: string;
  key: string;
  kind: 'created' | 'updated' | 'deleted';
  projectId: string | null;
  changes?: Record<string, unknown>;
}

export interface ChangeStreamHandlers {
  onChange(event: ChangeEvent): void;
  /** The stream lost events (too old to replay): reload everything. */
  onReset(): void;
  onStatus?(connected: boolean): void;
}

/**
 * Follows one project's changes. The `eventsource` package is the browser's EventSource plus
 * request headers, so the token travels in Authorization (never in the URL) and reconnects
 * still send Last-Event-ID, which makes the service replay what was missed.
 */
export function followProject(
  projectId: string,
  authorization: string,
  handlers: ChangeStreamHandlers,
): () => void {
  const source = new EventSource(`${SERVICE_ROOT}/$events?projectId=${projectId}`, {
    fetch: (input, init) =>
      fetch(input, { ...init, headers: { ...init?.headers, Authorization: authorization } }),
  });
  source.addEventListener('change', (message) => handlers.onChange(JSON.parse(message.data) as ChangeEvent));
  source.addEventListener('reset', () => handlers.onReset());
  source.addEventListener('open', () => handlers.onStatus?.(true));
  source.addEventListener('error', () => handlers.onStatus?.(false));
  return () => source.close();
}
