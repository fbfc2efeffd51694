import type { Command } from "commander";
import { LifeboatError } from "../../../shared/errors.ts";
import { KEYCHAIN_NAME } from "../../../shared/secret-ref.ts";
import { emergencySnapshot, type SnapshotMethod } from "../../neon/emergency-snapshot.ts";
import { deleteBranch, listBranches } from "../../neon/neon-branches.ts";
import type { NeonRunOptions } from "../../neon/neon-client.ts";
import { neonStatus } from "../../neon/neon-status.ts";
import { recoverTo, type RecoverToResult } from "../../neon/recover-to.ts";
import { restoreInPlace } from "../../neon/restore-in-place.ts";
import { formatDurationShort } from "../../neon/relative-time.ts";
import { redactDeep } from "../../secrets/redact.ts";
import type { CliContext } from "../cli-context.ts";
import { formatDuration, printResult, table } from "../output.ts";

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
  return n * 1000;
}

/** The options every Neon command shares: profile, retry budget, per-request timeout. */
export function withNeonFlags(cmd: Command): Command {
  return cmd
    .option("-p, --profile <name>", "profile whose neon section names the project")
    .option("--max-wait <seconds>", "how long to keep retrying while Neon answers 423/429/503 (default 120)")
    .option("--timeout <seconds>", "per-request timeout for the Neon API (default 30)");
}

/** Engine options from the shared flags; operation notes go to stderr on a terminal session (never with --json). */
export function neonRunOptions(ctx: CliContext, o: NeonFlags): NeonRunOptions {
  const maxRetryWaitMs = seconds(o.maxWait, "--max-wait");
  const requestTimeoutMs = seconds(o.timeout, "--timeout");
  return {
    ...(maxRetryWaitMs !== undefined ? { maxRetryWaitMs } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(ctx.json ? {} : { onNote: (text: string) => ctx.io.stderr.write(`  ${text}\n`) }),
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

function recoverLines(r: RecoverToResult, showUri: boolean): string {
  return [
    `recovery branch ${r.branch.name} (${r.branch.id}) is ready`,
    `  holds ${r.branch.parentName ?? r.branch.parentId} as of ${r.pointInTime ?? `LSN ${r.lsn}`}${r.input !== (r.pointInTime ?? r.lsn) ? ` (${r.input})` : ""}`,
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
      const profile = await ctx.profile(o.profile);
      const s = await neonStatus(profile, neonRunOptions(ctx, o), await ctx.engine());
      printResult(ctx.io, ctx, s, (v) =>
        [
          `project ${v.projectName} (${v.projectId}), PostgreSQL ${v.pgVersion}, ${v.regionId}`,
          `  history window ${formatDurationShort(v.historyRetentionSeconds * 1000)}: can restore to any moment from ${v.window.start} to now${v.windowShort ? `  ⚠ SHORTER than the ${formatDurationShort(v.requiredSeconds * 1000)} required` : ""}`,
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
        const profile = await ctx.profile(o.profile);
        const saveUriAs = keychainTarget(o.saveUri);
        const r = await recoverTo(
          profile,
          {
            ...neonRunOptions(ctx, o),
            point: words.join(" "),
            ...(o.name ? { name: o.name } : {}),
            ...(o.parent ? { parent: o.parent } : {}),
            ...(saveUriAs ? { saveUriAs } : {}),
          },
          await ctx.engine(),
        );
        if (!o.showUri) {
          // Through JSON first, so the wrapped URI reads "[connection URI hidden]" in --json output.
          printResult(ctx.io, ctx, JSON.parse(JSON.stringify(r)) as RecoverToResult, () => recoverLines(r, false));
          return;
        }
        // Asked for explicitly: written to stdout only, past the redaction every other output goes through.
        const uri = r.connection.reveal();
        if (ctx.json) {
          ctx.io.stdout.write(
            JSON.stringify(
              { ok: true, value: { ...redactDeep(JSON.parse(JSON.stringify(r))), connectionUri: uri } },
              null,
              2,
            ) + "\n",
          );
        } else {
          printResult(ctx.io, ctx, r, (v) => recoverLines(v, true));
          ctx.io.stdout.write(`${uri}\n`);
        }
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
      const profile = await ctx.profile(o.profile);
      const r = await emergencySnapshot(
        profile,
        {
          ...neonRunOptions(ctx, o),
          method: o.method as SnapshotMethod,
          ...(o.name ? { name: o.name } : {}),
          ...(o.branch ? { branch: o.branch } : {}),
        },
        await ctx.engine(),
      );
      printResult(ctx.io, ctx, r, (v) =>
        [
          `emergency ${v.method} ${v.branch.name} (${v.branch.id}) of ${v.source.name} taken at ${v.takenAt} in ${formatDuration(v.durationMs)}`,
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
        const profile = await ctx.profile(o.profile);
        const r = await restoreInPlace(
          profile,
          {
            ...neonRunOptions(ctx, o),
            ...(o.to ? { point: o.to } : {}),
            ...(o.sourceBranch ? { sourceBranch: o.sourceBranch } : {}),
            ...(o.branch ? { branch: o.branch } : {}),
            ...(o.preserveAs ? { preserveAs: o.preserveAs } : {}),
            ...(o.confirm !== undefined ? { confirm: o.confirm } : {}),
          },
          await ctx.engine(),
        );
        printResult(ctx.io, ctx, r, (v) =>
          [
            `branch ${v.branch.name} (${v.branch.id}) restored in place to ${v.pointInTime ?? (v.lsn ? `LSN ${v.lsn}` : `the head of ${v.source.name}`)}${v.source.id !== v.branch.id ? ` from ${v.source.name}` : ""} in ${formatDuration(v.durationMs)}`,
            `  its state before the restore is kept as branch ${v.preservedAs}${v.preservedId ? ` (${v.preservedId})` : ""}`,
            "  connections were reset; check the application, then run the post-recovery checklist",
          ].join("\n"),
        );
      },
    );

  withNeonFlags(neon.command("branches"))
    .description("list the project's branches; LIFEBOAT marks the ones Lifeboat made (and may delete)")
    .action(async (o: NeonFlags) => {
      const profile = await ctx.profile(o.profile);
      const r = await listBranches(profile, neonRunOptions(ctx, o), await ctx.engine());
      printResult(ctx.io, ctx, r, (v) =>
        table([
          ["NAME", "ID", "PARENT", "CREATED", "COMPUTE", "FLAGS"],
          ...v.branches.map((b) => [
            b.name,
            b.id,
            b.parentName ?? b.parentId ?? "-",
            b.createdAt,
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
      const profile = await ctx.profile(o.profile);
      const r = await deleteBranch(profile, { ...neonRunOptions(ctx, o), branch: ref }, await ctx.engine());
      printResult(ctx.io, ctx, r, (v) => `deleted branch ${v.branch} (${v.id})`);
    });
}
