// The signed-in user's reminders (nhắc việc), loaded when a page opens and at most once a
// minute however often pages change: no polling.
import { useEffect, useRef, useState } from 'react';
import { getReminders, isSessionLost, type Reminders } from '../api';

const MINIMUM_INTERVAL_MS = 60_000;

/** `page`: changes when another page opens, which may refresh the reminders. */
export function useReminders(page: string, onSessionLost: () => void): Reminders | null {
  const [reminders, setReminders] = useState<Reminders | null>(null);
  const lastLoad = useRef(0);

  useEffect(() => {
    const now = Date.now();
    if (now - lastLoad.current < MINIMUM_INTERVAL_MS) return;
    lastLoad.current = now;
    let live = true;
    getReminders()
      .then((answer) => {
        if (live) setReminders(answer);
      })
      .catch((e: unknown) => {
        // Reminders are a help, not the page: only a lost session matters here.
        if (live && isSessionLost(e)) onSessionLost();
      });
    return () => {
      live = false;
    };
  }, [page, onSessionLost]);

  return reminders;
}
