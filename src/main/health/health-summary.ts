// The dashboard: every profile's health fetched in parallel, each part with its own time limit, and the alerts of all.
import type { Profile } from "../../shared/config.ts";
import { sortAlerts } from "../alerts/compute-alerts.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import { neonWindow } from "../neon/neon-status.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { profileHealth } from "./profile-health.ts";

const DEFAULT_TIMEOUT_MS = 5000;

export interface SummaryDeps {
  engine: EngineContext;
  store: (p: Profile) => Promise<BackupStore>;
  journal: JournalReader;
  now: Date;
}

export async function healthSummary(profiles: Profile[], deps: SummaryDeps, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const t0 = performance.now();
  const { engine, now } = deps;
  const health = await Promise.all(
    profiles.map((p) =>
      profileHealth(p, {
        resolveSecret: engine.resolveSecret,
        store: deps.store,
        journal: deps.journal,
        now,
        timeoutMs,
        neonWindow: (np) => neonWindow(np, {}, engine),
      }),
    ),
  );
  return { generatedAt: now.toISOString(), profiles: health, durationMs: Math.round(performance.now() - t0) };
}

export async function alertSummary(profiles: Profile[], deps: SummaryDeps) {
  const s = await healthSummary(profiles, deps);
  return { generatedAt: s.generatedAt, alerts: sortAlerts(s.profiles.flatMap((p) => p.alerts)) };
}
