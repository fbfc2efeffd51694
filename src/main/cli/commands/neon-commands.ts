import type { Command } from "commander";
import type { RequestOf, ResultOf } from "../../../shared/api/channels.ts";
import { LifeboatError } from "../../../shared/errors.ts";
import { KEYCHAIN_NAME } from "../../../shared/secret-ref.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint, invokeRevealing } from "../invoke-channel.ts";
import { formatDuration, table } from "../output.ts";

interface NeonFlags {
  profile?: string;
  maxWait?: string;
  timeout?: string;
}

function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new LifeboatError("USAGE", `${flag} "${value}" is not a positive number of seconds.`, `e.g. ${flag} 120`);
  return n;
}

/** The options every Neon command shares: profile, retry budget, per-request timeout. */
export function withNeonFlags(cmd: Command): Command {
  return cmd
    .option("-p, --profile <name>", "profile whose neon section names the project")
    .option("--max-wait <seconds>", "how long to keep retrying while Neon answers 423/429/503 (default 120)")
    .option("--timeout <seconds>", "per-request timeout for the Neon API (default 30)");
}

/** The request fields every Neon command shares. */
export function neonCall(o: NeonFlags): { profile?: string; maxWaitSeconds?: number; timeoutSeconds?: number } {
  const maxWaitSeconds = seconds(o.maxWait, "--max-wait");
  const timeoutSeconds = seconds(o.timeout, "--timeout");
  return {
    ...(o.profile ? { profile: o.profile } : {}),
    ...(maxWaitSeconds !== undefined ? { maxWaitSeconds } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}

function keychainTarget(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const name = value.startsWith("keychain:") ? value.slice("keychain:".length) : "";
  if (!KEYCHAIN_NAME.test(name)) {
    throw new LifeboatError(
      "USAGE",
      `--save-uri takes keychain:NAME, got "${value}".`,
      "e.g. --save-uri keychain:recovery-uri (letters, digits and _ . @ / - in the name).",
    );
  }
  return name;
}

function recoverLines(r: ResultOf<"neon.recoverTo">, showUri: boolean): string {
  return [
    `recovery branch ${r.branch.name} (${r.branch.id}) is ready`,
    // `holds` is timeline-aware: after an earlier restore of the parent it names whose data the point really holds.
    `  holds ${r.holds}${r.input !== (r.pointInTime ?? r.lsn) ? ` (${r.input})` : ""}${r.pointInTime && r.branch.parentLsn ? `; Neon resolved the point to LSN ${r.branch.parentLsn}` : ""}`,
    `  compute ${r.endpointId} at ${r.host}, database ${r.database}, role ${r.role}; took ${formatDuration(r.durationMs)}`,
    r.savedUriAs
      ? `  connection URI (unpooled) stored in ${r.savedUriAs}`
      : showUri
        ? ""
        : "  connection URI (unpooled) not shown: it holds a password. Add --show-uri to print it, or --save-uri keychain:NAME to keep it in the keychain.",
    `  next: compare it with production (lifeboat forensics diff), or delete it when done (lifeboat neon delete ${r.branch.name})`,
  ]
    .filter(Boolean)
    .join("\n");
}

export function registerNeonCommands(program: Command, ctx: CliContext): void {
  const neon = program
    .command("neon")
    .description("Neon point-in-time recovery: status, recovery branches, emergency snapshots, in-place restore");

  withNeonFlags(neon.command("status"))
    .description("history window (how far back Neon can go), PostgreSQL version, default branch and compute state")
    .action(async (o: NeonFlags) => {
      await invokeAndPrint(ctx, "neon.status", neonCall(o), (v) =>
        [
          `project ${v.projectName} (${v.projectId}), PostgreSQL ${v.pgVersion}, ${v.regionId}`,
          `  history window ${formatDuration(v.historyRetentionSeconds * 1000)}: can restore to any moment from ${v.window.start} to now${v.windowShort ? `  ⚠ SHORTER than the ${formatDuration((v.requiredSeconds ?? 0) * 1000)} required` : ""}`,
          `  default branch ${v.defaultBranch.name} (${v.defaultBranch.id}), ${v.defaultBranch.state}${v.defaultBranch.protected ? ", protected" : ""}`,
          ...(v.computes.length
            ? v.computes.map(
                (c) =>
                  `  compute ${c.id} ${c.type} ${c.state}${c.pendingState ? ` -> ${c.pendingState}` : ""} at ${c.host}`,
              )
            : ["  no compute on the default branch"]),
          `  ${v.branchCount} branch(es); \`lifeboat neon branches\` lists them`,
          ...v.warnings.map((w) => `warning: ${w}`),
        ].join("\n"),
      );
    });

  withNeonFlags(neon.command("recover-to"))
    .description(
      'create a recovery branch (with a read-write compute) as the database was at a time, an LSN, or e.g. "1 hour ago"; production is untouched',
    )
    .argument(
      "<point...>",
      'e.g. "2026-01-17 14:29:59 UTC", 2026-01-17T14:29:59Z, 0/1A2B3C4, "24 hours ago", "90 minutes ago"',
    )
    .option("--name <branch>", "branch name (default recovery-YYYYMMDD-HHMMSS, UTC)")
    .option("--parent <branch>", "branch whose history to use (default: the project's default branch)")
    .option("--save-uri <keychain:NAME>", "store the connection URI in the OS keychain under NAME")
    .option("--show-uri", "print the connection URI (with its password) on stdout; it is never journaled")
    .action(
      async (
        words: string[],
        o: NeonFlags & { name?: string; parent?: string; saveUri?: string; showUri?: boolean },
      ) => {
        const saveUriAs = keychainTarget(o.saveUri);
        const request: RequestOf<"neon.recoverTo"> = {
          ...neonCall(o),
          point: { at: words.join(" ") },
          ...(o.name ? { branchName: o.name } : {}),
          ...(o.parent ? { parent: o.parent } : {}),
          ...(saveUriAs ? { saveUriAs } : {}),
        };
        if (!o.showUri) {
          await invokeAndPrint(ctx, "neon.recoverTo", request, (v) => recoverLines(v, false));
          return;
        }
        // Asked for explicitly: the URI goes to stdout only, past the redaction every other output goes through.
        await invokeRevealing(ctx, "neon.recoverTo", { ...request, showUri: true }, (v) => recoverLines(v, true));
      },
    );

  withNeonFlags(neon.command("snapshot"))
    .description(
      "emergency snapshot of the default branch's head: a branch emergency-YYYYMMDD-HHMMSS (no compute), or Neon's snapshot API",
    )
    .option("--name <name>", "name (default emergency-YYYYMMDD-HHMMSS, UTC)")
    .option(
      "--method <method>",
      "branch (default; every plan), snapshot (Neon's snapshot API, Beta) or auto (snapshot API, else a branch)",
      "branch",
    )
    .option("--branch <branch>", "branch to freeze (default: the project's default branch)")
    .action(async (o: NeonFlags & { name?: string; method: string; branch?: string }) => {
      if (!["branch", "snapshot", "auto"].includes(o.method))
        throw new LifeboatError(
          "USAGE",
          `--method "${o.method}" is not one of branch, snapshot, auto.`,
          "Leave it out for a branch, which works on every Neon plan.",
        );
      const request = {
        ...neonCall(o),
        method: o.method as "branch" | "snapshot" | "auto",
        ...(o.name ? { name: o.name } : {}),
        ...(o.branch ? { branch: o.branch } : {}),
      };
      await invokeAndPrint(ctx, "neon.snapshot", request, (v) =>
        [
          `emergency ${v.method} ${v.branch.name} (${v.branch.id}) of ${v.source?.name} taken at ${v.takenAt} in ${formatDuration(v.durationMs)}`,
          v.fallbackReason ? `  (made as a branch: ${v.fallbackReason})` : "",
          v.method === "branch"
            ? `  it has no compute and costs nothing until read; recover from it with: lifeboat neon recover-to --parent ${v.branch.name} <time>`
            : "",
        ]
          .filter(Boolean)
          .join("\n"),
      );
    });

  withNeonFlags(neon.command("restore"))
    .description(
      "DESTRUCTIVE: restore a branch (default: production) in place to a time/LSN or another branch's head; its current state is kept as a backup branch",
    )
    .option("--to <point>", 'time, LSN or relative time to restore to, e.g. "2026-01-17 14:29:59 UTC" or "1 hour ago"')
    .option(
      "--source-branch <branch>",
      "take the data from this branch (its head, or --to within it) instead of the branch's own history",
    )
    .option("--branch <branch>", "branch to restore (default: the project's default branch)")
    .option(
      "--preserve-as <name>",
      "name of the branch that keeps the current state (default backup-before-restore-YYYYMMDD-HHMMSS)",
    )
    .option("--confirm <branch-name>", "type the name of the branch being restored")
    .action(
      async (
        o: NeonFlags & { to?: string; sourceBranch?: string; branch?: string; preserveAs?: string; confirm?: string },
      ) => {
        const source = o.sourceBranch
          ? { branch: o.sourceBranch, ...(o.to ? { at: o.to } : {}) }
          : o.to
            ? { at: o.to }
            : undefined;
        const request = {
          ...neonCall(o),
          ...(source ? { source } : {}),
          ...(o.branch ? { branch: o.branch } : {}),
          ...(o.preserveAs ? { preserveUnderName: o.preserveAs } : {}),
          ...(o.confirm !== undefined ? { confirm: o.confirm } : {}),
        };
        await invokeAndPrint(ctx, "neon.restore", request, (v) =>
          [
            `branch ${v.branch.name} (${v.branch.id}) restored in place to ${v.pointInTime ?? (v.lsn ? `LSN ${v.lsn}` : `the head of ${v.source?.name}`)}${v.source && v.source.id !== v.branch.id ? ` from ${v.source.name}` : ""} in ${formatDuration(v.durationMs)}`,
            `  its state before the restore is kept as branch ${v.preservedAs}${v.preservedId ? ` (${v.preservedId})` : ""}`,
            "  connections were reset; check the application, then run the post-recovery checklist",
          ].join("\n"),
        );
      },
    );

  withNeonFlags(neon.command("branches"))
    .description("list the project's branches; LIFEBOAT marks the ones Lifeboat made (and may delete)")
    .action(async (o: NeonFlags) => {
      await invokeAndPrint(ctx, "neon.branches", neonCall(o), (v) =>
        table([
          ["NAME", "ID", "PARENT", "CREATED", "COMPUTE", "FLAGS"],
          ...v.branches.map((b) => [
            b.name,
            b.id,
            b.parentName ?? b.parentId ?? "-",
            b.createdAt ?? "-",
            b.computeState ?? "-",
            [b.default ? "default" : "", b.protected ? "protected" : "", b.lifeboat ? "lifeboat" : ""]
              .filter(Boolean)
              .join(",") || "-",
          ]),
        ]),
      );
    });

  withNeonFlags(neon.command("delete"))
    .description(
      "delete a branch Lifeboat made (recovery-*, backup-test-*, emergency-*); never the default or a protected branch",
    )
    .argument("<branch>", "branch name or id")
    .action(async (ref: string, o: NeonFlags) => {
      await invokeAndPrint(
        ctx,
        "neon.deleteBranch",
        { ...neonCall(o), branch: ref },
        (v) => `deleted branch ${v.branch} (${v.id})`,
      );
    });
}
