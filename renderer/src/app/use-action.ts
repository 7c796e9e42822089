import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActionResult, UserError } from '../../../electron/api/contract.js';

export interface ActionState<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  pending: boolean;
  error: UserError | null;
  clearError: () => void;
}

/**
 * Runs an action that answers with an ActionResult and keeps what the view
 * shows about it: busy while it runs, and the error it returned. (The API is
 * guarded, see guard-api.ts, so these promises do not reject.)
 */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<ActionResult>): ActionState<A> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<UserError | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    async (...args: A): Promise<boolean> => {
      setPending(true);
      setError(null);
      const result = await action(...args);
      if (mounted.current) {
        setPending(false);
        if (!result.ok) setError(result.error);
      }
      return result.ok;
    },
    [action],
  );

  const clearError = useCallback(() => setError(null), []);
  return { run, pending, error, clearError };
}
