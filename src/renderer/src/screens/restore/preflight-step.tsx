// Read-only checks before anything is written. The restore cannot start while a blocking check fails.
import { formatTime } from "../../../../shared/format.ts";
import { useEffect } from "react";
import type { Check } from "../../../../shared/api/common-schemas.ts";
import type { Profile } from "../../../../shared/config.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { CheckList } from "./check-list.tsx";
import type { RestorePlan } from "./restore-plan.ts";
import { restoreRequest } from "./restore-plan.ts";

function neonChecks(
  at: string,
  status: { window: { start: string; end: string }; windowShort: boolean } | undefined,
  branches: string[] | undefined,
  branchName: string | undefined,
): Check[] {
  const checks: Check[] = [];
  const t = Date.parse(at);
  if (Number.isFinite(t)) {
    checks.push({ name: "Not in the future", ok: t <= Date.now(), detail: formatTime(new Date(t).toISOString()) });
    if (status) {
      const inside = t >= Date.parse(status.window.start) && t <= Date.parse(status.window.end) + 60_000;
      checks.push({
        name: "Inside the history window",
        ok: inside,
        detail: `window ${formatTime(status.window.start)} → ${formatTime(status.window.end)}`,
      });
    }
  } else {
    checks.push({
      name: "Relative time",
      ok: true,
      warning: true,
      detail: `"${at}" is resolved by the engine, which refuses it if it falls outside the window`,
    });
  }
  if (status?.windowShort)
    checks.push({
      name: "History window long enough",
      ok: false,
      warning: true,
      detail: "shorter than the profile requires",
    });
  if (branchName && branches)
    checks.push({ name: "Branch name free", ok: !branches.includes(branchName), detail: branchName });
  return checks;
}

export function PreflightStep({
  profile,
  plan,
  onReady,
}: {
  profile: Profile;
  plan: RestorePlan;
  onReady: (ok: boolean) => void;
}) {
  const req = restoreRequest(profile, plan);
  const pre = useApi(
    "restore.preflight",
    req
      ? {
          profile: req.profile,
          id: req.id,
          database: req.database,
          ...(req.targetProfile ? { targetProfile: req.targetProfile } : {}),
          ...(req.force ? { force: true, confirm: req.confirm } : {}),
        }
      : null,
  );
  const isNeon = plan.source?.kind === "neon";
  const neon = useApi("neon.status", isNeon ? { profile: profile.name } : null);
  const branches = useApi("neon.branches", isNeon ? { profile: profile.name } : null);

  let checks: Check[] | undefined;
  let error = pre.error;
  if (plan.source?.kind === "neon") {
    error = neon.error ?? branches.error;
    checks =
      neon.data || neon.error
        ? [
            {
              name: "Neon API reachable",
              ok: !neon.error,
              detail: neon.data ? `project ${neon.data.projectId}` : (neon.error?.message ?? ""),
            },
            ...neonChecks(
              plan.source.at,
              neon.data,
              branches.data?.branches.map((b) => b.name),
              plan.target?.kind === "neon-branch" ? plan.target.branchName : undefined,
            ),
          ]
        : undefined;
  } else {
    checks = pre.data?.checks;
  }
  const ready = !!checks && checks.every((c) => c.ok || c.warning) && !error;
  useEffect(() => onReady(ready), [ready, onReady]);

  return (
    <div className="stack">
      {!checks && !error ? <p role="status">Running pre-flight checks…</p> : null}
      {checks ? <CheckList checks={checks} label="Pre-flight checks" /> : null}
      {error ? <ErrorNotice error={error} title="Pre-flight checks could not run" /> : null}
      {checks ? (
        <p role="status">
          {ready
            ? "All blocking checks passed."
            : "A blocking check failed: fix it or go back and choose another target."}
        </p>
      ) : null}
    </div>
  );
}
