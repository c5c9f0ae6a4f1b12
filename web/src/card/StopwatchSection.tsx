import { useCallback, useEffect, useState } from 'react';
import type { BoardApi } from '../api/board-api';
import type { Stopwatch } from '../api/types';
import { useToasts } from '../ui/toasts';

/** The caller's stopwatch on this task; the service keeps the time, the page only shows it. */
export function StopwatchSection({ api, taskId }: { api: BoardApi; taskId: string }) {
  const toast = useToasts();
  const [watch, setWatch] = useState<Stopwatch | null>(null);
  const [loadedAt, setLoadedAt] = useState(Date.now());
  const [now, setNow] = useState(Date.now());
  const [logged, setLogged] = useState<number | null>(null);
  const load = useCallback(async () => {
    try {
      setWatch(await api.stopwatch(taskId));
      setLoadedAt(Date.now());
    } catch (e) {
      toast.error(e);
    }
  }, [api, taskId, toast]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (watch?.State !== 'Running') return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [watch?.State]);

  const act = async (action: 'StartStopwatch' | 'PauseStopwatch' | 'StopStopwatch') => {
    try {
      const result = (await api.stopwatchAction(taskId, action)) as { DurationMinutes?: number } | undefined;
      if (action === 'StopStopwatch') setLogged(result?.DurationMinutes ?? 0);
    } catch (e) {
      toast.error(e);
    }
    await load();
  };

  const elapsed = watch
    ? watch.ElapsedSeconds +
      (watch.State === 'Running' ? Math.max(0, Math.floor((now - loadedAt) / 1000)) : 0)
    : 0;
  return (
    <section className="task-section" aria-label="Stopwatch">
      <h3>Stopwatch</h3>
      <div className="row">
        <output className="stopwatch__time" aria-label="Elapsed time">
          {formatSeconds(elapsed)}
        </output>
        <span className="stopwatch__state" data-state={watch?.State}>
          {watch?.State ?? '…'}
        </span>
        <button
          type="button"
          disabled={!watch || watch.State === 'Running'}
          onClick={() => void act('StartStopwatch')}
        >
          {watch?.State === 'Paused' ? 'Resume' : 'Start'}
        </button>
        <button
          type="button"
          disabled={watch?.State !== 'Running'}
          onClick={() => void act('PauseStopwatch')}
        >
          Pause
        </button>
        <button
          type="button"
          disabled={!watch || watch.State === 'Stopped'}
          onClick={() => void act('StopStopwatch')}
        >
          Stop
        </button>
      </div>
      {logged !== null && (
        <p className="muted" role="status">
          Logged a time entry of {logged} min.
        </p>
      )}
    </section>
  );
}

function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
