import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import type { AttachmentTarget } from "../../../shared/api/channels/attachment-channels.ts";
import { EXIT_CODES, LifeboatError } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { formatBytes, formatDuration, table } from "../output.ts";

function runText(v: ResultOf<"attachments.run">): string {
  return v.runs
    .map((r) =>
      [
        `attachment set ${r.set}: run ${r.id} committed (${r.objects} files, ${formatBytes(r.bytes)}) from ${r.source}`,
        `  copied ${r.copied} changed or new file(s) (${formatBytes(r.copiedBytes)}), ${r.unchanged} unchanged, ${r.deleted.length} gone from the source (still in earlier runs)`,
        ...r.failed.map(
          (f) => `  NOT COPIED ${f.key}: ${f.error}${f.keptPrevious ? " (its previous copy stays in this run)" : ""}`,
        ),
        `  manifest ${r.manifestKey} sha256 ${r.manifestSha256.slice(0, 16)}…, took ${formatDuration(r.durationMs)}`,
      ].join("\n"),
    )
    .join("\n");
}

/** Where a restore goes: a folder, the set's own source, or another prefix in the source's bucket. */
function targetOf(o: { toFolder?: string; toPrefix?: string; toSource?: boolean }): AttachmentTarget {
  const chosen = [o.toFolder, o.toPrefix, o.toSource].filter((x) => x !== undefined && x !== false).length;
  if (chosen !== 1) {
    throw new LifeboatError(
      "USAGE",
      "say where the files go: --to-folder PATH, --to-prefix PREFIX (in the source's bucket) or --to-source",
      "e.g. lifeboat attachments restore --set uploads --to-prefix uploads-restored",
    );
  }
  if (o.toFolder) return { kind: "folder", path: o.toFolder };
  if (o.toSource) return { kind: "source" };
  return { kind: "prefix", prefix: o.toPrefix! };
}

export function registerAttachmentsCommands(program: Command, ctx: CliContext): void {
  const att = program
    .command("attachments")
    .description("the application's files: incremental, encrypted, restorable as of any run");
  att
    .command("run")
    .description("back up the attachment sets: only files that changed since the last run are copied")
    .option("-p, --profile <name>", "profile")
    .option("--set <name>", "only this set")
    .action(async (o: { profile?: string; set?: string }) => {
      await invokeAndPrint(ctx, "attachments.run", { profile: o.profile, set: o.set }, runText, {
        exitCode: (v) => (v.runs.some((r) => r.failed.length) ? EXIT_CODES.CONNECTION : EXIT_CODES.OK),
      });
    });
  att
    .command("runs")
    .description("the committed runs of the attachment sets, newest first")
    .option("-p, --profile <name>", "profile")
    .option("--set <name>", "only this set")
    .action(async (o: { profile?: string; set?: string }) => {
      await invokeAndPrint(ctx, "attachments.runs", { profile: o.profile, set: o.set }, (v) =>
        table([
          ["SET", "RUN", "FINISHED", "FILES", "SIZE", "COPIED", "GONE", "FAILED"],
          ...v.runs.map((r) => [
            r.set,
            r.id,
            r.finishedAt,
            String(r.objects),
            formatBytes(r.bytes),
            String(r.copied),
            String(r.deleted),
            String(r.failed),
          ]),
        ]),
      );
    });
  for (const verifyOnly of [false, true]) {
    const c = att
      .command(verifyOnly ? "verify" : "restore")
      .description(
        verifyOnly
          ? "decrypt every file of a run and check its size and sha256, writing nothing"
          : "restore a set as of a run (default the latest) into a folder or prefix, each file checked against its sha256",
      )
      .requiredOption("--set <name>", "the attachment set")
      .option("--run <id>", "the run (default: latest)", "latest")
      .option("-p, --profile <name>", "profile");
    if (!verifyOnly) {
      c.option("--to-folder <path>", "write the files into this folder")
        .option("--to-prefix <prefix>", "write them under this prefix in the source's bucket")
        .option("--to-source", "write them back where they came from");
    }
    c.action(
      async (o: {
        profile?: string;
        set: string;
        run: string;
        toFolder?: string;
        toPrefix?: string;
        toSource?: boolean;
      }) => {
        const target = verifyOnly ? undefined : targetOf(o);
        await invokeAndPrint(
          ctx,
          "attachments.restore",
          { profile: o.profile, set: o.set, run: o.run, ...(target ? { target } : {}), verifyOnly },
          (v) =>
            `${verifyOnly ? "verified" : `restored into ${v.target}`}: set ${v.set} as of run ${v.run}, ${v.objects} files, ${formatBytes(v.bytes)}, every sha256 equal to the run's manifest (${formatDuration(v.durationMs)})`,
        );
      },
    );
  }
}
