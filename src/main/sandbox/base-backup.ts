import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import { pgEnv } from "../postgres/conn-info.ts";
import type { LocalCluster } from "../postgres/local-cluster.ts";
import { relPath, runAsOwner, type SandboxLayout } from "./sandbox-layout.ts";
import type { BaseBackupRecord } from "./sandbox-state.ts";

export function assertBaseBackupTool(binDir: string): void {
  if (!existsSync(join(binDir, "pg_basebackup"))) {
    throw new LifeboatError(
      "TOOLS_MISSING",
      `the Neon sandbox needs pg_basebackup next to the server binaries in ${binDir}`,
      "Install the full PostgreSQL server package (Debian/Ubuntu: apt install postgresql), or set PG_BIN to a folder holding initdb, pg_ctl, postgres and pg_basebackup.",
    );
  }
}

/**
 * Takes a base backup of a running compute with pg_basebackup (WAL streamed into the copy, so it is self-contained),
 * as the cluster account. Every branch's history is restorable from the end of a base backup on its lineage.
 */
export async function takeBaseBackup(
  layout: SandboxLayout,
  cluster: LocalCluster,
  fast: boolean,
): Promise<BaseBackupRecord> {
  const id = `bb-${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  const dir = join(layout.baseBackups, id);
  const conn = cluster.conn();
  const args = [
    "-D",
    dir,
    "-X",
    "stream",
    "-c",
    "fast",
    "-h",
    conn.host,
    "-p",
    String(conn.port),
    "-U",
    conn.user,
    "-w",
    "--label",
    id,
  ];
  if (fast) args.push("--no-sync");
  try {
    await runAsOwner(layout, join(cluster.binDir, "pg_basebackup"), args, pgEnv(conn));
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new LifeboatError(
      "PG_ERROR",
      `pg_basebackup of the sandbox's compute failed: ${(e as Error).message}`,
      "Read the message above; check free disk space.",
    );
  }
  const insert = (await cluster.query("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0] as { lsn: string };
  const endTime = new Date().toISOString();
  // Where the copy is consistent: the manifest's WAL range ends there. The insert position read afterwards lies past
  // the segment switch that ends a backup, and a branch cut at that switch would seem to have no base backup at all.
  const manifest = await readFile(join(dir, "backup_manifest"), "utf8").catch(() => "");
  const ranges = (JSON.parse(manifest || "{}") as { "WAL-Ranges"?: Array<{ "End-LSN"?: string }> })["WAL-Ranges"];
  const end = { lsn: ranges?.at(-1)?.["End-LSN"] ?? insert.lsn };
  // The copy would otherwise carry the source's server log into every branch made from it.
  await rm(join(dir, "lifeboat-server.log"), { force: true });
  for (const name of await readdir(dir))
    if (/^\.s\.PGSQL\.\d+\.lock$/.test(name)) await rm(join(dir, name), { force: true });
  const label = await readFile(join(dir, "backup_label"), "utf8");
  const start = /START WAL LOCATION: ([0-9A-F]+\/[0-9A-F]+)/i.exec(label)?.[1];
  const tli = /START TIMELINE: (\d+)/.exec(label)?.[1];
  if (!start || !tli) throw new LifeboatError("INTERNAL", `unreadable backup_label in ${dir}`);
  return { id, dir: relPath(layout, dir), tli: Number(tli), startLsn: start, endLsn: end.lsn, endTime };
}
