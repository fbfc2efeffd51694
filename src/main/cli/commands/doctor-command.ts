import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import { exitCodeFor, LifeboatError } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { printApiResult } from "../output.ts";

function scanText(s: ResultOf<"doctor.scan">): string {
  const lines = s.findings.length
    ? s.findings.map((f, i) => `${i + 1}. [${f.kind}] ${f.what}\n   fix: ${f.fix}`)
    : [
        "nothing left behind: no unfinished uploads, uncommitted backups, open journal records, staging databases, stale locks or temporary folders",
      ];
  for (const u of s.unchecked) lines.push(`not checked: ${u}`);
  return lines.join("\n");
}

function fixText(r: ResultOf<"doctor.fix">): string {
  return [
    ...r.fixed.map((f) => `fixed: ${f.done}`),
    ...r.failed.map((f) => `NOT fixed: ${f.id}: ${f.error}`),
    ...r.gone.map((id) => `already gone: ${id}`),
  ].join("\n");
}

async function confirmed(ctx: CliContext, count: number): Promise<boolean> {
  const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr, terminal: false });
  try {
    const answer = await rl.question(`Clean up these ${count}? Type "yes" to go ahead: `);
    return answer.trim().toLowerCase() === "yes";
  } finally {
    rl.close();
  }
}

export function registerDoctorCommand(program: Command, ctx: CliContext): void {
  program
    .command("doctor")
    .description(
      "find what killed or failed runs left behind (unfinished uploads, uncommitted backups, journal records left open, staging databases, stale locks, temporary folders); --fix cleans them up after you confirm",
    )
    .option("-p, --profile <name>", "only this profile's store and servers (default: every profile)")
    .option("--fix", "clean up what was found, after a confirmation")
    .option("--yes", "with --fix: confirm without asking (for scripts)")
    .action(async (o: { profile?: string; fix?: boolean; yes?: boolean }) => {
      if (o.yes && !o.fix)
        throw new LifeboatError("USAGE", "--yes only goes with --fix", "Run `lifeboat doctor --fix --yes`.");
      if (!o.fix) {
        await invokeAndPrint(ctx, "doctor.scan", { profile: o.profile }, scanText);
        return;
      }
      // With --fix the answer is the cleanup's (one JSON document with --json); the scan is shown on a terminal only.
      const found = await (await ctx.session()).invoke("doctor.scan", { profile: o.profile });
      if (!found.ok) {
        printApiResult(ctx.io, ctx, found, scanText);
        ctx.exitCode = exitCodeFor(found.error.code);
        return;
      }
      const scan = found.value;
      if (!ctx.json) ctx.io.stdout.write(`${scanText(scan)}\n`);
      if (scan.findings.length === 0) {
        if (ctx.json) printApiResult(ctx.io, ctx, { ok: true, value: { fixed: [], failed: [], gone: [] } }, fixText);
        return;
      }
      if (!o.yes) {
        if (!ctx.io.stdinIsTTY)
          throw new LifeboatError(
            "CONFIRMATION_REQUIRED",
            `${scan.findings.length} leftover(s) found; cleaning up needs a confirmation and there is no terminal to ask on; nothing was changed`,
            "Run it on a terminal, or pass --yes to confirm in a script.",
          );
        if (!(await confirmed(ctx, scan.findings.length))) {
          ctx.io.stderr.write("nothing was changed\n");
          return;
        }
      }
      await invokeAndPrint(ctx, "doctor.fix", { profile: o.profile, ids: scan.findings.map((f) => f.id) }, fixText, {
        exitCode: (r) => (r.failed.length ? 4 : 0),
      });
    });
}
