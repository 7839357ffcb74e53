import { useCallback, useEffect, useRef, useState } from 'react';
import { type ProblemDetail, problemOf } from '../api-client.ts';
import { type AuditEntry, type AuditFilters, fetchAuditEntries } from './audit-api.ts';

export interface AuditEntriesState {
  entries: AuditEntry[];
  /** True while the first page for these filters is loading. */
  loading: boolean;
  /** True while a further page is loading. */
  loadingMore: boolean;
  problem: ProblemDetail | null;
  hasMore: boolean;
  loadMore: () => void;
  retry: () => void;
}

/** Audit entries matching `filters`, newest first, a page at a time. */
export function useAuditEntries(filters: AuditFilters): AuditEntriesState {
  const key = JSON.stringify(filters);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [problem, setProblem] = useState<ProblemDetail | null>(null);
  const [attempt, setAttempt] = useState(0);
  const controller = useRef<AbortController | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `filters`; `attempt` triggers a retry.
  useEffect(() => {
    const current = new AbortController();
    controller.current?.abort();
    controller.current = current;
    setLoading(true);
    setLoadingMore(false);
    setProblem(null);
    setEntries([]);
    setCursor(null);
    fetchAuditEntries(filters, null, current.signal).then(
      (page) => {
        if (current.signal.aborted) return;
        setEntries(page.entries);
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (error: unknown) => {
        if (current.signal.aborted) return;
        setProblem(problemOf(error));
        setLoading(false);
      },
    );
    return () => current.abort();
  }, [key, attempt]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const current = new AbortController();
    controller.current = current;
    setLoadingMore(true);
    setProblem(null);
    fetchAuditEntries(JSON.parse(key) as AuditFilters, cursor, current.signal).then(
      (page) => {
        if (current.signal.aborted) return;
        setEntries((previous) => [...previous, ...page.entries]);
        setCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (error: unknown) => {
        if (current.signal.aborted) return;
        setProblem(problemOf(error));
        setLoadingMore(false);
      },
    );
  }, [cursor, key, loadingMore]);

  const retry = useCallback(() => {
    if (entries.length > 0 && cursor) loadMore();
    else setAttempt((n) => n + 1);
  }, [entries.length, cursor, loadMore]);

  return { entries, loading, loadingMore, problem, hasMore: cursor !== null, loadMore, retry };
}
