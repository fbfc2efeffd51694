import { useCallback, useEffect, useState } from "react";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { invoke, type ResultOf } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { CheckList } from "../restore/check-list.tsx";

/** `autoRun`: started from an alert's "Test the profile's connections" button, so the test runs at once. */
export function ProfileTestPanel({ profile, autoRun }: { profile: string; autoRun?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ResultOf<"profiles.test">>();
  const [error, setError] = useState<ErrorInfo>();
  const test = useCallback(async () => {
    setBusy(true);
    const r = await invoke("profiles.test", { name: profile });
    setBusy(false);
    if (r.ok) {
      setResult(r.value);
      setError(undefined);
    } else setError(r.error);
  }, [profile]);
  useEffect(() => {
    if (autoRun) void test();
  }, [autoRun, test]);
  return (
    <div className="stack">
      <div>
        <button type="button" className="btn secondary" disabled={busy} onClick={() => void test()}>
          {busy ? "Testing…" : `Test profile ${profile}`}
        </button>
      </div>
      {error ? <ErrorNotice error={error} title="The test could not run" /> : null}
      {result ? <CheckList checks={result.checks} label={`Checks for ${profile}`} /> : null}
    </div>
  );
}
