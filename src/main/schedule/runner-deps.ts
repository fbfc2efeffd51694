import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { OpenJournal } from "../journal/journal.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import type { JobRunner } from "./run-job.ts";

/** The real sleep: a timer that an abort ends early. */
export { sleep as realSleep } from "../neon/neon-retry.ts";

/** What the due-job runner is handed. The clock and the sleep are injectable, so a test moves time, not waits. */
export interface RunnerDeps {
  journal: OpenJournal;
  /** resolveSecret, env, signal, onProgress for the jobs themselves. */
  engine: Omit<EngineContext, "journal">;
  store: (p: Profile) => Promise<BackupStore>;
  /** Local locks and the local mirror of job states. */
  stateDir: string;
  /** systemd, launchd, windows, kubernetes, cli, console: recorded with every run. */
  runner: string;
  now: () => Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The jobs themselves; only unit tests of the runner replace them. */
  runJob?: JobRunner;
  /** Heartbeat and webhook sending (time limit, tries). */
  http?: { timeoutMs?: number; tries?: number; retryDelayMs?: number };
}
