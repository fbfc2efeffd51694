// How long a network peer (an S3 endpoint, a PostgreSQL server) may stay completely silent before Lifeboat gives up on
// it. Silence, not slowness: an upload or a COPY that moves at all keeps the clock from running out, so the largest
// objects on the slowest links are fine; a peer that accepted the connection and then froze becomes an error within
// about this time (times the SDK's three attempts for S3) instead of a hang that holds a snapshot open for hours.
import { LifeboatError } from "../../shared/errors.ts";

export const DEFAULT_IDLE_SECONDS = 60;
const MAX_IDLE_SECONDS = 3600;

/** LIFEBOAT_IDLE_TIMEOUT_SECONDS (1–3600, default 60), in milliseconds. */
export function idleTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LIFEBOAT_IDLE_TIMEOUT_SECONDS;
  if (raw === undefined || raw === "") return DEFAULT_IDLE_SECONDS * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1 || n > MAX_IDLE_SECONDS) {
    throw new LifeboatError(
      "CONFIG_INVALID",
      `LIFEBOAT_IDLE_TIMEOUT_SECONDS is "${raw}", which is not a number of seconds from 1 to ${MAX_IDLE_SECONDS}`,
      `Unset it (default ${DEFAULT_IDLE_SECONDS}) or give a whole number of seconds, e.g. 120 on a slow satellite link.`,
    );
  }
  return Math.round(n * 1000);
}
