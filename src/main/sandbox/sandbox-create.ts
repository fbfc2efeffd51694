import { randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { findServerBinDir, LocalCluster } from "../postgres/local-cluster.ts";
import { serverBinaryVersion } from "../postgres/server-binaries.ts";
import { assertBaseBackupTool, takeBaseBackup } from "./base-backup.ts";
import type { ComputeAccess } from "./compute-start.ts";
import { newBranchId, newDatabaseId, newEndpointId, newProjectId } from "./neon-ids.ts";
import { relPath, type SandboxLayout } from "./sandbox-layout.ts";
import { killComputes } from "./sandbox-reset.ts";
import { sandboxRetention } from "./sandbox-plan.ts";
import type { SandboxPlan, SandboxState } from "./sandbox-state.ts";
import { seedClinicalDatabase } from "./seed.ts";
import { computeSettings } from "./wal-archive.ts";

const SUPERUSER = "cloud_admin";

export interface CreateOptions {
  scale?: number;
  seed?: number;
  historyRetentionSeconds?: number;
  plan?: SandboxPlan;
  historyCapBytes?: number;
  binDir?: string;
  fast?: boolean;
  projectName?: string;
}

export function accessFor(state: SandboxState, layout: SandboxLayout): ComputeAccess {
  return { binDir: state.binDir, superuser: state.superuser, settings: computeSettings(layout.archive, state.fast) };
}

/**
 * A new project in an empty sandbox folder: the default branch "main" is a fresh cluster holding the clinical sample
 * database, restarted with WAL archiving on, and its first base backup taken: the start of the restorable history.
 */
export async function createFresh(
  layout: SandboxLayout,
  opts: CreateOptions,
  say: (l: string) => void,
): Promise<{ state: SandboxState; main: LocalCluster }> {
  // Leftovers of a creation that never finished (no state file was written) are the sandbox's own; clear them.
  await killComputes(layout.root);
  for (const d of [layout.archive, layout.baseBackups, layout.pgdata])
    for (const n of await readdir(d)) await rm(join(d, n), { recursive: true, force: true });

  const binDir = resolve(opts.binDir ?? (await findServerBinDir()));
  assertBaseBackupTool(binDir);
  const { major } = await serverBinaryVersion(binDir);
  const fast = !!opts.fast;
  const superuser = { name: SUPERUSER, password: randomBytes(18).toString("base64url") };
  const role = { name: "neondb_owner", password: `npg_${randomBytes(12).toString("base64url")}` };
  const dataDir = join(layout.pgdata, `main-${randomBytes(3).toString("hex")}`);
  const { archive_mode: _a, archive_command: _c, ...initial } = computeSettings(layout.archive, fast);

  say(`Creating the default branch's compute (PostgreSQL ${major})…`);
  let main = await LocalCluster.create({
    dataDir,
    binDir,
    user: superuser.name,
    password: superuser.password,
    settings: initial,
    walSegmentSizeMb: 1,
    keepDataDir: true,
  });
  try {
    say(`Seeding the clinical sample database "neondb" (scale ${opts.scale ?? 1})…`);
    const { rows } = await seedClinicalDatabase(main, {
      database: "neondb",
      role: role.name,
      password: role.password,
      scale: opts.scale ?? 1,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    });
    say(
      `  ${Object.entries(rows)
        .map(([t, n]) => `${n} ${t}`)
        .join(", ")}`,
    );
    // The seed's WAL is not history anyone restores to; archiving starts with the first base backup.
    await main.stop();
    const state: SandboxState = {
      version: 1,
      project: {
        id: newProjectId(),
        name: opts.projectName ?? "Dr Amal Clinical OS (Lifeboat sandbox)",
        createdAt: new Date().toISOString(),
        historyRetentionSeconds: sandboxRetention(opts.plan ?? "launch", opts.historyRetentionSeconds),
        pgVersion: major,
        plan: opts.plan ?? "launch",
        ...(opts.historyCapBytes ? { historyCapBytes: opts.historyCapBytes } : {}),
      },
      binDir,
      fast,
      superuser,
      role,
      database: { name: "neondb", id: newDatabaseId(), createdAt: new Date().toISOString() },
      baseBackups: [],
      branches: [],
      operations: [],
      incidents: [],
    };
    main = await LocalCluster.adopt(dataDir, binDir, {
      port: main.port,
      user: superuser.name,
      password: superuser.password,
      settings: accessFor(state, layout).settings,
    });
    await main.start();
    say("Taking the first base backup (WAL archiving is on from here)…");
    state.baseBackups.push(await takeBaseBackup(layout, main, fast));
    const now = new Date().toISOString();
    state.branches.push({
      id: newBranchId(),
      name: "main",
      default: true,
      protected: false,
      currentState: "ready",
      stateChangedAt: now,
      createdAt: now,
      updatedAt: now,
      dataDir: relPath(layout, dataDir),
      tli: 1,
      endpoint: {
        id: newEndpointId(),
        port: main.port,
        state: "active",
        createdAt: now,
        updatedAt: now,
        startedAt: now,
      },
    });
    return { state, main };
  } catch (e) {
    await main.stop("immediate").catch(() => {});
    throw e;
  }
}
