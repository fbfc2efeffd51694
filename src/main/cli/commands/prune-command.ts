import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import { EXIT_CODES } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { formatBytes, table } from "../output.ts";

function pruneText(o: ResultOf<"retention.prune">): string {
  const p = o.plan;
  const lines = [`${o.applied ? "prune" : "prune (dry run: nothing deleted; --apply deletes)"} of ${o.store}`];
  if (p.refused) lines.push(`REFUSED: ${p.refused.message}`, `  what to do: ${p.refused.hint}`);
  if (p.remove.length) {
    lines.push(
      `${o.applied ? "deleted" : "would delete"} ${p.remove.length} backup(s), ${formatBytes(p.remove.reduce((a, r) => a + r.bytes, 0))}:`,
    );
    lines.push(table(p.remove.map((r) => [`  ${r.id}`, r.why])));
  }
  if (p.blocked.length) {
    lines.push(`kept although the policy lets them go (${p.blocked.length}):`);
    lines.push(table(p.blocked.map((b) => [`  ${b.id}`, b.why])));
  }
  lines.push(`kept ${p.keep.length} backup(s):`);
  lines.push(table(p.keep.map((k) => [`  ${k.id}`, k.reasons.join("; ")])));
  for (const x of p.extend)
    lines.push(`lock of ${x.id} ${o.applied ? "extended" : "to be extended"} from ${x.from} to ${x.to}`);
  for (const i of p.incomplete)
    lines.push(
      `incomplete run ${i.dir}: ${i.action === "delete" ? (o.applied ? "removed" : "to remove") : "kept"} (${i.why})`,
    );
  for (const u of p.uploads.filter((x) => x.action === "abort"))
    lines.push(`unfinished upload of ${u.key} from ${u.initiated}: ${o.applied ? "aborted" : "to abort"}`);
  for (const a of o.attachments ?? []) {
    lines.push(
      `attachments ${a.set}: ${
        a.refused ??
        `${a.keep.length} run(s) kept, ${o.applied ? `${a.deletedRuns.length} deleted` : `${a.remove.length} to delete`}, ${o.applied ? `${a.deletedBlobs} unreferenced blob(s) removed` : `${a.orphanBlobs} unreferenced blob(s) to remove`}`
      }`,
      ...a.failures.map((f) => `  FAILED ${f}`),
    );
  }
  if (o.applied) {
    for (const d of o.deleted)
      lines.push(`deleted ${d.id} (manifest sha256 ${d.manifestSha256.slice(0, 16)}…, journal #${d.journalSeq})`);
    for (const f of o.failures) lines.push(`FAILED ${f.id}: ${f.error}`);
  }
  return lines.join("\n");
}

export function registerPruneCommand(program: Command, ctx: CliContext): void {
  program
    .command("prune")
    .description(
      "apply the retention policy: shows what would be deleted and why (dry run), deletes only with --apply; never the newest verified backup, never below keepLast proven restorable, never while backups fail, never a locked or held backup",
    )
    .option("-p, --profile <name>", "profile")
    .option("--apply", "delete what the plan says (journaled with each manifest's digest)")
    .option("--store <name>", 'prune a replica (its own retention) instead of the primary ("primary")')
    .action(async (o: { profile?: string; apply?: boolean; store?: string }) => {
      await invokeAndPrint(
        ctx,
        "retention.prune",
        { profile: o.profile, apply: !!o.apply, store: o.store },
        pruneText,
        {
          // A refused --apply is exit 8 (nothing was deleted on purpose); a deletion that failed is exit 4.
          exitCode: (v) =>
            v.plan.refused && o.apply ? EXIT_CODES.REFUSED : v.failures.length ? EXIT_CODES.CONNECTION : EXIT_CODES.OK,
        },
      );
    });
}
