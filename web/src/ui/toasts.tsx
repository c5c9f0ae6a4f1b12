import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ODataRequestError } from '../api/odata-http';

interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

interface Toasts {
  error(e: unknown): void;
  info(text: string): void;
}

const ToastContext = createContext<Toasts | null>(null);

/** Messages for the user: the service's own error text, so a refused move says why. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((kind: Toast['kind'], text: string) => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t.slice(-3), { id, kind, text }]);
    window.setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), kind === 'error' ? 8000 : 5000);
  }, []);
  const api = useMemo<Toasts>(
    () => ({ error: (e) => push('error', describe(e)), info: (text) => push('info', text) }),
    [push],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div
            key={t.id}
            className={`toast toast--${t.kind}`}
            role={t.kind === 'error' ? 'alert' : undefined}
          >
            {t.text}
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss"
              onClick={() => setToasts((all) => all.filter((x) => x.id !== t.id))}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToasts(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts needs a ToastProvider');
  return toasts;
}

function describe(e: unknown): string {
  if (e instanceof ODataRequestError) {
    if (e.status === 412)
      return 'Someone else changed this in the meantime; the latest version is shown. ' + e.message;
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
