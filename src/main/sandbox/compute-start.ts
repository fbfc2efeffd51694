import { existsSync, readFileSync } from "node:fs";
import { readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import { LocalCluster } from "../postgres/local-cluster.ts";

export interface ComputeAccess {
  binDir: string;
  superuser: { name: string; password: string };
  settings: Record<string, string>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A postmaster.pid left by a crash makes LocalCluster think the server runs. A file whose process is gone is removed;
 * one whose process lives means the server still runs (the sandbox process died, its clusters did not).
 */
export async function clearStalePid(dataDir: string): Promise<"running" | "stopped"> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) return "running";
    await unlink(pidFile).catch(() => {});
  }
  // A stopped server's socket lock files are stale. Copies carry them too (pg_basebackup does not skip them), naming a
  // postmaster that may still be exiting: PostgreSQL would refuse to start on that port.
  for (const name of await readdir(dataDir))
    if (/^\.s\.PGSQL\.\d+\.lock$/.test(name)) await unlink(join(dataDir, name)).catch(() => {});
  return "stopped";
}

/** The port a running server's postmaster.pid records (line 4). */
export function runningPort(dataDir: string): number | null {
  try {
    const port = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[3]);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
}

/**
 * Starts a compute's data directory with the sandbox's settings, on `port` when it is free (so connection strings
 * handed out earlier keep working), on another free port otherwise. A server still running from before is adopted.
 */
export async function startCompute(dataDir: string, access: ComputeAccess, port?: number): Promise<LocalCluster> {
  const opts = { user: access.superuser.name, password: access.superuser.password, settings: access.settings };
  if ((await clearStalePid(dataDir)) === "running") {
    const p = runningPort(dataDir);
    if (!p)
      throw new LifeboatError(
        "INTERNAL",
        `a server runs in ${dataDir} but its port is unreadable`,
        `Stop it (pg_ctl stop -D ${dataDir}) and start the sandbox again.`,
      );
    return LocalCluster.attach(dataDir, access.binDir, p, { user: opts.user, password: opts.password });
  }
  if (port !== undefined) {
    const cluster = await LocalCluster.adopt(dataDir, access.binDir, { ...opts, port });
    try {
      await cluster.start();
      return cluster;
    } catch (e) {
      if (!/could not bind|already in use|could not create any TCP/i.test((e as Error).message)) throw e;
    }
  }
  const cluster = await LocalCluster.adopt(dataDir, access.binDir, opts);
  await cluster.start();
  return cluster;
}
