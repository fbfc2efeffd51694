import { useEffect, useState } from "react";
import type { Progress } from "../../../shared/progress.ts";
import { bridge } from "../api/bridge.ts";

/** The latest progress event of the operation with this id (undefined until the first one arrives). */
export function useProgress(operationId: string | undefined): Progress | undefined {
  const [progress, setProgress] = useState<Progress>();
  useEffect(() => {
    setProgress(undefined);
    if (!operationId) return;
    return bridge().onProgress((e) => {
      if (e.operationId === operationId) setProgress(e.progress);
    });
  }, [operationId]);
  return progress;
}
