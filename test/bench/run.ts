// `npm run bench`: every benchmark in one run, each printing ratios against baselines measured in the same run
// (these machines are shared and noisy). Figures go to stdout and to bench-results/bench.json.
// Pick some with LIFEBOAT_BENCH=backup,crypto,... (default: all that exist).
import { mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";

type Bench = () => Promise<Record<string, unknown>>;

// The AWS SDK's Node-version notice would land in the middle of the figures (the CLI under test sets the same).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const benches: Record<string, { file: string; fn: string }> = {
  backup: { file: "./backup-bench.ts", fn: "benchBackup" },
  crypto: { file: "./crypto-throughput.ts", fn: "benchCrypto" },
  journal: { file: "./journal-bench.ts", fn: "benchJournal" },
  forensics: { file: "./forensics-bench.ts", fn: "benchForensics" },
  repair: { file: "./repair-bench.ts", fn: "benchRepair" },
  sandbox: { file: "./sandbox-bench.ts", fn: "benchSandbox" },
  dashboard: { file: "./console-bench.ts", fn: "benchDashboardRefresh" },
  renderer: { file: "./renderer-bench.ts", fn: "benchRenderer" },
  monitoring: { file: "./monitoring-bench.ts", fn: "benchMonitoring" },
  protection: { file: "./protection-bench.ts", fn: "benchProtection" },
  compliance: { file: "./compliance-bench.ts", fn: "benchCompliance" },
};

const wanted = process.env.LIFEBOAT_BENCH?.split(",").map((s) => s.trim()) ?? Object.keys(benches);
const results: Record<string, unknown> = {
  machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
  startedAt: new Date().toISOString(),
};
for (const name of wanted) {
  const b = benches[name];
  if (!b) throw new Error(`unknown bench "${name}"; known: ${Object.keys(benches).join(", ")}`);
  if (!existsSync(new URL(b.file, import.meta.url))) {
    console.log(`\n== ${name}: not present (${b.file})`);
    continue;
  }
  console.log(`\n== ${name}`);
  const mod = (await import(b.file)) as Record<string, Bench>;
  try {
    results[name] = await mod[b.fn]!();
    console.log(JSON.stringify(results[name], null, 2));
  } catch (e) {
    results[name] = { error: e instanceof Error ? e.message : String(e) };
    console.log(`  FAILED: ${(results[name] as { error: string }).error}`);
    process.exitCode = 1;
  }
}
await mkdir("bench-results", { recursive: true });
await writeFile("bench-results/bench.json", JSON.stringify(results, null, 2) + "\n");
console.log("\nfigures written to bench-results/bench.json");
