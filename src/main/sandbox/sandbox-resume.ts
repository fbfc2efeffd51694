import { existsSync } from "node:fs";
import { join } from "node:path";
import { findServerBinDir } from "../postgres/local-cluster.ts";
import { assertBaseBackupTool, takeBaseBackup } from "./base-backup.ts";
import { parseLsn } from "./lsn.ts";
import { OperationQueue } from "./operation-queue.ts";
import type { SandboxProject } from "./sandbox-project.ts";
import { chooseBaseBackup, lineageOf } from "./timeline-history.ts";

const REPLAY_LIMIT = 64n * 1024n * 1024n;

/**
 * Every recovery replays the WAL written since the newest base backup on the branch's lineage; a sandbox used for days
 * would replay more and more. On resume, a fresh base backup of the default branch keeps that short.
 */
export async function refreshBaseBackup(project: SandboxProject, say: (l: string) => void): Promise<void> {
  const main = project.defaultBranch();
  const cluster = project.clusters.get(main.id);
  if (!cluster) return;
  const newest = chooseBaseBackup(project.state.baseBackups, await lineageOf(project.layout.archive, main.tli ?? 1), {
    kind: "end",
  });
  const head = await project.headLsn(main);
  if (newest && head && (parseLsn(head) ?? 0n) - (parseLsn(newest.startLsn) ?? 0n) < REPLAY_LIMIT) return;
  say("Taking a fresh base backup of the default branch (keeps recoveries short)…");
  project.state.baseBackups.push(await takeBaseBackup(project.layout, cluster, project.state.fast));
  await project.save();
}

/** Brings a sandbox folder back as it was left: interrupted operations failed, every live endpoint's compute started. */
export async function resume(project: SandboxProject, say: (l: string) => void): Promise<void> {
  const state = project.state;
  if (!existsSync(join(state.binDir, "postgres"))) {
    state.binDir = await findServerBinDir({ major: state.project.pgVersion });
    assertBaseBackupTool(state.binDir);
  }
  OperationQueue.failInterrupted(state.operations);
  // A branch whose creation was cut short never got its data: it is dropped, and its name is free again.
  state.branches = state.branches.filter((b) => b.dataDir);
  for (const b of state.branches) {
    if (!b.endpoint || b.endpoint.lost || !b.dataDir) continue;
    say(`Starting the compute of branch ${b.name}…`);
    await project.startCompute(b);
    Object.assign(b.endpoint, {
      state: "active",
      updatedAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
    });
    delete b.endpoint.pendingState;
    if (b.currentState !== "ready")
      Object.assign(b, { currentState: "ready", stateChangedAt: new Date().toISOString() });
    delete b.pendingState;
  }
}
