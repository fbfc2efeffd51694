// A watchdog on a PostgreSQL server during a long operation. pg_dump, pg_restore and a count(*) of a large table can
// all wait on the server for a long time, legitimately, and none of them can tell a busy server from a frozen one (a
// hung VM, a stopped process, a network path that swallows packets while the local end stays up). A fresh connection
// and `SELECT 1` can: a live server answers it within seconds whatever else it is doing. A server that does not answer
// within the idle timeout, twice in a row, is frozen, and the operation is stopped with that error instead of waiting
// forever with a snapshot open.
import { LifeboatError } from "../../shared/errors.ts";
import type { ConnInfo } from "./conn-info.ts";
import { connect, endClient } from "./connect.ts";

export interface ServerWatch {
  stop(): void;
}

const SILENCE = Symbol("silence");

/** Resolves true when the server answered (even with an error: it is alive), false when it stayed silent. */
async function probe(conn: ConnInfo, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<typeof SILENCE>((resolve) => (timer = setTimeout(() => resolve(SILENCE), timeoutMs)));
  const answered = (async () => {
    try {
      const c = await connect(conn, { timeoutMs, queryTimeoutMs: timeoutMs });
      try {
        await c.query("SELECT 1");
      } finally {
        await endClient(c, 1000);
      }
      return true;
    } catch (e) {
      // "too many clients", an auth failure, even a refused connection: an answer, which the operation's own
      // connections will meet too. Only timeouts are silence.
      return !/timeout|timed out/i.test(e instanceof Error ? e.message : String(e));
    }
  })();
  const r = await Promise.race([answered, silent]);
  clearTimeout(timer);
  return r !== SILENCE && r;
}

/**
 * Probes `conn`'s server every `timeoutMs / 2` until stopped; calls onFrozen (once) with a PG_UNREACHABLE error after
 * two probes in a row went unanswered for `timeoutMs` each.
 */
export function watchServer(
  conn: ConnInfo,
  timeoutMs: number,
  onFrozen: (e: LifeboatError) => void,
  what = "the database server",
): ServerWatch {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let misses = 0;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    const ok = await probe(conn, timeoutMs);
    if (stopped) return;
    misses = ok ? 0 : misses + 1;
    if (misses >= 2) {
      stopped = true;
      onFrozen(
        new LifeboatError(
          "PG_UNREACHABLE",
          `${what} at ${conn.host}:${conn.port} stopped answering: two checks in a row got no reply within ${Math.round(timeoutMs / 1000)} s each`,
          "The server (or the network path to it) is frozen or gone. Check it, then run the operation again. LIFEBOAT_IDLE_TIMEOUT_SECONDS sets how long a silent server is waited for.",
          { host: conn.host, port: conn.port },
        ),
      );
      return;
    }
    timer = setTimeout(() => void tick(), Math.max(500, timeoutMs / 2));
    timer.unref();
  };
  timer = setTimeout(() => void tick(), Math.max(500, timeoutMs / 2));
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
