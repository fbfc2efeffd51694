// A long engine operation started from a button: backup, verify, restore, a Neon branch. It carries an operation id so
// its progress events can be drawn as a real progress bar, and it can be cancelled.
import { useCallback, useState } from "react";
import type { ApiResult } from "../../../shared/api/api-result.ts";
import type { ErrorInfo } from "../../../shared/errors.ts";
import type { Progress } from "../../../shared/progress.ts";
import { invoke, newOperationId, type ChannelName, type RequestOf, type ResultOf } from "../api/invoke.ts";
import { useProgress } from "./use-progress.ts";

export interface OperationState<C extends ChannelName> {
  running: boolean;
  operationId: string | undefined;
  progress: Progress | undefined;
  result: ResultOf<C> | undefined;
  error: ErrorInfo | undefined;
  startedAt: number | undefined;
  run: (payload: RequestOf<C>) => Promise<ApiResult<ResultOf<C>>>;
  cancel: () => void;
  reset: () => void;
}

export function useOperation<C extends ChannelName>(channel: C): OperationState<C> {
  const [operationId, setOperationId] = useState<string>();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ResultOf<C>>();
  const [error, setError] = useState<ErrorInfo>();
  const [startedAt, setStartedAt] = useState<number>();
  const progress = useProgress(operationId);

  const run = useCallback(
    async (payload: RequestOf<C>) => {
      const id = newOperationId(channel);
      setOperationId(id);
      setRunning(true);
      setResult(undefined);
      setError(undefined);
      setStartedAt(Date.now());
      const r = await invoke(channel, { ...payload, operationId: id });
      setRunning(false);
      if (r.ok) setResult(r.value);
      else setError(r.error);
      return r;
    },
    [channel],
  );

  const cancel = useCallback(() => {
    if (operationId) void invoke("operations.cancel", { operationId });
  }, [operationId]);

  const reset = useCallback(() => {
    setResult(undefined);
    setError(undefined);
    setOperationId(undefined);
  }, []);

  return { running, operationId, progress, result, error, startedAt, run, cancel, reset };
}
