import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import { EXIT_CODES } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { formatBytes } from "../output.ts";

export function replicaLines(replicas: ResultOf<"replicas.run">["replicas"]): string[] {
  const lines: string[] = [];
  for (const r of replicas) {
    lines.push(
      `replica ${r.name} (${r.store}): ${r.copied.length} copied, ${r.present} already there${r.failures.length ? `, ${r.failures.length} failed` : ""}`,
    );
    for (const c of r.copied)
      lines.push(
        `  ${c.id}: ${formatBytes(c.bytes)}, sha256 ${c.sha256.slice(0, 16)}… proven there${c.lockUntil ? `, locked until ${c.lockUntil}` : ""}`,
      );
    for (const f of r.failures) lines.push(`  FAILED ${f.id}: ${f.error}`);
    if (r.error) lines.push(`  ${r.error}; \`lifeboat replicate\` copies what is missing`);
  }
  return lines;
}

export function registerReplicateCommand(program: Command, ctx: CliContext): void {
  program
    .command("replicate")
    .description(
      "copy every backup a replica lacks (each proven there by size and sha256); a replica that fell behind catches up",
    )
    .option("-p, --profile <name>", "profile")
    .option("--replica <name>", "only this replica")
    .action(async (o: { profile?: string; replica?: string }) => {
      await invokeAndPrint(
        ctx,
        "replicas.run",
        { profile: o.profile, replica: o.replica },
        (v) => (v.replicas.length ? replicaLines(v.replicas).join("\n") : "the profile has no replicas"),
        {
          exitCode: (v) =>
            v.replicas.some((r) => r.error || r.failures.length) ? EXIT_CODES.CONNECTION : EXIT_CODES.OK,
        },
      );
    });
}
