// A list of an assignment that only its participants (and the leader who assigned it) may
// read: its comments, its working files. Anyone else gets a 404 for it and sees nothing.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api';
import { follow } from '../common';
import { errorText } from '../i18n';

export type ParticipantList<T> =
  | { kind: 'loading' }
  | { kind: 'loaded'; items: T[] }
  | { kind: 'hidden' }
  | { kind: 'failed'; text: string; code: string };

/** Loads the list of the document's assignment; add() appends one item written meanwhile. */
export function useParticipantList<T>(
  load: (documentId: number) => Promise<T[]>,
  documentId: number,
  onSessionLost: () => void,
): { list: ParticipantList<T>; add: (item: T) => void } {
  const [list, setList] = useState<ParticipantList<T>>({ kind: 'loading' });

  useEffect(
    () =>
      follow(
        load(documentId),
        (items) => setList({ kind: 'loaded', items }),
        onSessionLost,
        (e) =>
          setList(
            e instanceof ApiError && e.status === 404
              ? { kind: 'hidden' }
              : { kind: 'failed', ...errorText(e) },
          ),
      ),
    [load, documentId, onSessionLost],
  );

  const add = useCallback(
    (item: T) =>
      setList((current) =>
        current.kind === 'loaded' ? { kind: 'loaded', items: [...current.items, item] } : current,
      ),
    [],
  );
  return { list, add };
}
