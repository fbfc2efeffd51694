// `lifeboat neon recover-to`: a new branch holding the database as it was at a moment, with its own read-write
// compute, ready to query. Production is not touched. The connection URI is handed back wrapped (SecretUri), never
// journaled, and kept in the keychain only when asked.
import { EndpointType, type Branch } from "@neondatabase/api-client";
import type { RecoverToResult as RecoverToSummary } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { setKeychainSecret } from "../secrets/keychain.ts";
import { resolveBranch } from "./branch-lookup.ts";
import { branchRow } from "./neon-branches.ts";
import { BRANCH_NAME, recoveryBranchName } from "./branch-names.ts";
import { assertInWindow, assertNotInFuture, historyWindow } from "./history-window.ts";
import type { JournalReader } from "../journal/journal.ts";
import { openNeonProject, type NeonProject, type NeonRunOptions } from "./neon-client.ts";
import { createOrFind, type ReconcileOptions } from "./neon-reconcile.ts";
import { announcePoint, journalReaderOf, pointAbsolute, withPointHint } from "./point-journal.ts";
import { describePoint, neonTimestamp, parseRecoveryPoint, type RecoveryPoint } from "./recovery-point.ts";
import { timelineNote } from "./restore-timeline.ts";
import { SecretUri } from "./secret-uri.ts";

/** The contract's RecoverToResult plus the unpooled connection URI: reveal() it only to connect, or to print on
 * --show-uri. It never crosses the API (the result schema drops it). */
export type RecoverToResult = RecoverToSummary & { connection: SecretUri };

export interface RecoverToOptions extends NeonRunOptions {
  /** "2026-01-17 14:29:59 UTC", "0/1A2B3C4", "1 hour ago", or an already parsed point. */
  point: string | RecoveryPoint;
  /** Default recovery-YYYYMMDD-HHMMSS (UTC, the time of the request). */
  name?: string;
  /** Branch whose history is used (name or id); default: the project's default branch. */
  parent?: string;
  /** Keep the URI in the OS keychain under this entry name (without the "keychain:" prefix). */
  saveUriAs?: string;
  /** How Lifeboat looks for the branch after a lost answer (tests shorten it). */
  reconcile?: ReconcileOptions;
  /** Where earlier restores are read from (default: the context's journal when it can be read). */
  history?: Pick<JournalReader, "query">;
}

export function checkBranchName(name: string): void {
  if (!BRANCH_NAME.test(name)) {
    throw new LifeboatError(
      "USAGE",
      `"${name}" is not a branch name Lifeboat will use.`,
      "Use letters, digits and . _ - / (up to 256), starting with a letter or digit, e.g. recovery-20260117-1430.",
    );
  }
}

export function assertNameFree(branches: Branch[], name: string, projectId: string): void {
  if (branches.some((b) => b.name === name)) {
    throw new LifeboatError(
      "NEON_NAME_TAKEN",
      `project ${projectId} already has a branch named "${name}"`,
      "Pick another name with --name, or delete the old branch (`lifeboat neon delete " +
        name +
        "`) if Lifeboat made it and it is no longer needed.",
      { projectId, branch: name },
    );
  }
}

export async function recoverTo(
  profile: Profile,
  opts: RecoverToOptions,
  ctx: EngineContext,
): Promise<RecoverToResult> {
  const now = opts.now?.() ?? new Date();
  // Typos and impossible times fail here, before a key is read or a request is sent.
  const point = typeof opts.point === "string" ? parseRecoveryPoint(opts.point, now) : opts.point;
  const name = opts.name ?? recoveryBranchName(now);
  checkBranchName(name);
  assertNotInFuture(point, now);
  announcePoint(point, opts.onNote);
  return ctx.journal.step(
    {
      kind: "neon.recover-to",
      summary: `Recovery branch ${name} at ${describePoint(point)} (profile ${profile.name})`,
      profile: profile.name,
      details: {
        projectId: profile.neon?.projectId,
        branch: name,
        point: describePoint(point),
        pointAbsolute: pointAbsolute(point),
        ...(opts.parent ? { parent: opts.parent } : {}),
      },
    },
    () => withPointHint(point, "the point", () => recover(profile, { ...opts, point, name }, now, ctx)),
    (r) => ({
      branchId: r.branch.id,
      parent: r.branch.parentName,
      ...(r.branch.parentLsn ? { parentLsn: r.branch.parentLsn } : {}),
      endpointId: r.endpointId,
      endpointHost: r.host,
      holds: r.holds,
      operationsWaited: r.operationsWaited,
      ...(r.savedUriAs ? { savedUriAs: r.savedUriAs } : {}),
      ...(r.reconciled ? { reconciled: r.reconciled } : {}),
      ...(r.warnings.length ? { warnings: r.warnings } : {}),
    }),
  );
}

async function recover(
  profile: Profile,
  opts: RecoverToOptions & { point: RecoveryPoint; name: string },
  now: Date,
  ctx: EngineContext,
): Promise<RecoverToResult> {
  const t0 = performance.now();
  const neon = await openNeonProject(profile, ctx, opts);
  const project = await neon.project();
  assertInWindow(opts.point, historyWindow(project, opts.now?.() ?? now));
  const branches = await neon.branches();
  const parent = resolveBranch(branches, neon.config, opts.parent);
  assertNameFree(branches, opts.name, neon.projectId);
  const note = await timelineNote(parent, opts.point, branches, opts.history ?? journalReaderOf(ctx));
  const warnings = note ? [note.warning] : [];
  for (const w of warnings) opts.onNote?.(`warning: ${w}`);
  const holds =
    note?.holds ??
    `${parent.name} as of ${opts.point.kind === "lsn" ? `LSN ${opts.point.lsn}` : neonTimestamp(opts.point.at)}`;

  const { created, reconciled } = await createOrFind(
    neon,
    {
      branch: {
        name: opts.name,
        parent_id: parent.id,
        ...(opts.point.kind === "lsn"
          ? { parent_lsn: opts.point.lsn }
          : { parent_timestamp: neonTimestamp(opts.point.at) }),
      },
      endpoints: [{ type: EndpointType.ReadWrite }],
    },
    opts.reconcile,
  );
  return afterCreate(neon, created, opts.name, async () => {
    const ops = await neon.waitForOperations(created.operations, `create branch ${opts.name}`);
    const endpoint = created.endpoints.find((e) => e.type === "read_write") ?? created.endpoints[0];
    if (!endpoint) {
      throw new LifeboatError(
        "NEON_API",
        `Neon created branch ${opts.name} without the read-write compute Lifeboat asked for`,
        "Add a compute to the branch in the Neon console, or delete it and try again.",
      );
    }
    const connection = new SecretUri(await neon.connectionUri(created.branch, endpoint.id));
    let savedUriAs: string | undefined;
    if (opts.saveUriAs) {
      await setKeychainSecret(opts.saveUriAs, connection.reveal());
      savedUriAs = `keychain:${opts.saveUriAs}`;
    }
    // Read back once the operations are done: parent_lsn is the LSN Neon resolved the point to, final only now.
    const made = (await neon.branch(created.branch.id).catch(() => undefined)) ?? created.branch;
    return {
      branch: branchRow(made, new Map([[parent.id, parent]]), endpoint.current_state),
      ...(opts.point.kind === "lsn" ? { lsn: opts.point.lsn } : { pointInTime: neonTimestamp(opts.point.at) }),
      input: opts.point.input,
      host: endpoint.host,
      endpointId: endpoint.id,
      database: neon.config.database,
      role: neon.config.role,
      durationMs: Math.round(performance.now() - t0),
      operationsWaited: ops.length,
      ...(savedUriAs ? { savedUriAs } : {}),
      connection,
      holds,
      warnings,
      ...(reconciled ? { reconciled } : {}),
    };
  });
}

/** Once a branch exists, any later failure says so: the operator must know there is a branch to use or clean up. */
export async function afterCreate<T>(
  neon: NeonProject,
  created: { branch: Branch },
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof LifeboatError)) throw e;
    throw new LifeboatError(
      e.code,
      `${e.message} (branch ${name}, ${created.branch.id}, was created)`,
      `${e.hint ?? ""} Check it with \`lifeboat neon branches\`; delete it with \`lifeboat neon delete ${name}\` if it is of no use.`.trim(),
      { ...e.details, branch: name, branchId: created.branch.id, projectId: neon.projectId },
      { cause: e },
    );
  }
}
