// Reads one channel and keeps the answer. A failure is data, not an exception: screens show it as "unreachable"
// beside whatever else did load, so one dead dependency never blanks the page.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ErrorInfo } from "../../../shared/errors.ts";
import { invoke, type ChannelName, type RequestOf, type ResultOf } from "../api/invoke.ts";

export interface ApiState<T> {
  data: T | undefined;
  error: ErrorInfo | undefined;
  loading: boolean;
  reload: () => void;
}

/** `payload` null means "not yet" (e.g. no profile chosen). Refetches when the payload changes or every `refreshMs`. */
export function useApi<C extends ChannelName>(
  channel: C,
  payload: RequestOf<C> | null,
  refreshMs?: number,
): ApiState<ResultOf<C>> {
  const [data, setData] = useState<ResultOf<C>>();
  const [error, setError] = useState<ErrorInfo>();
  const [loading, setLoading] = useState(payload !== null);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const key = payload === null ? null : JSON.stringify(payload);

  useEffect(() => {
    if (key === null) return;
    const id = ++latest.current;
    setLoading(true);
    void invoke(channel, JSON.parse(key) as RequestOf<C>).then((r) => {
      if (id !== latest.current) return;
      setLoading(false);
      if (r.ok) {
        setData(r.value);
        setError(undefined);
      } else {
        setError(r.error);
      }
    });
  }, [channel, key, tick]);

  useEffect(() => {
    if (!refreshMs || key === null) return;
    const t = setInterval(() => setTick((n) => n + 1), refreshMs);
    return () => clearInterval(t);
  }, [refreshMs, key]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
