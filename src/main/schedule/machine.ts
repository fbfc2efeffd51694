import { randomBytes } from "node:crypto";
import { hostname, userInfo } from "node:os";
import type { RunOutcome } from "../../shared/schedule/run-outcome.ts";

/** Which machine runs this, as whom, started by what. LIFEBOAT_MACHINE names it where the host name says little. */
export function thisMachine(runner: string, env: NodeJS.ProcessEnv = process.env): RunOutcome["machine"] {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = env.USER ?? env.USERNAME ?? "unknown";
  }
  return { host: env.LIFEBOAT_MACHINE || hostname(), user, runner, pid: process.pid };
}

/** Sortable by start time, unique across machines: 20260117T020000Z-laptop-3f9a. */
export function newRunId(at: Date, host: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const h =
    host
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-")
      .slice(0, 40) || "host";
  return `${stamp}-${h}-${randomBytes(2).toString("hex")}`;
}
