import { useCallback, useEffect, useState } from 'react';
import { useToasts } from '../ui/toasts';

/**
 * What a card section shows (notes, checklist, contributors), read from the service, and a way
 * to change it: `change` runs one write, reports a refusal as a message and reads the data again
 * either way, so the section always shows what the service holds.
 */
export function useTaskData<T>(read: () => Promise<T>, initial: T) {
  const toast = useToasts();
  const [data, setData] = useState<T>(initial);
  const reload = useCallback(() => read().then(setData, toast.error), [read, toast]);
  useEffect(() => void reload(), [reload]);
  const change = useCallback(
    async (write: () => Promise<unknown>): Promise<boolean> => {
      let ok = true;
      try {
        await write();
      } catch (e) {
        toast.error(e);
        ok = false;
      }
      await reload();
      return ok;
    },
    [reload, toast],
  );
  return { data, change };
}
