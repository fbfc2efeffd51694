// The compliance report's goal: over a year of evidence for 10 profiles in a 1,000,000-record journal, the report in
// <= 3 s. The baseline, measured in the same run on the same journal, is one indexed count of the journal's backup.run
// records (a floor: the report reads those and more). Sizes: LIFEBOAT_BENCH_COMPLIANCE_RECORDS (default 1,000,000),
// LIFEBOAT_BENCH_COMPLIANCE_PROFILES (default 10). Run alone: LIFEBOAT_BENCH=compliance npm run bench
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildComplianceReport } from "../../src/main/compliance/build-report.ts";
import { openJournal, openJournalReader } from "../../src/main/journal/journal.ts";
import { FolderStore } from "../../src/main/storage/folder-store.ts";
import { Profile } from "../../src/shared/config.ts";
import { generateYear, type Year } from "../main/compliance/year-of-evidence.ts";

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

export async function benchCompliance(): Promise<Record<string, number | string>> {
  const total = Number(process.env.LIFEBOAT_BENCH_COMPLIANCE_RECORDS ?? 1_000_000);
  const profiles = Number(process.env.LIFEBOAT_BENCH_COMPLIANCE_PROFILES ?? 10);
  const root = mkdtempSync(join(tmpdir(), "lifeboat-bench-compliance-"));
  const out: Record<string, number | string> = {
    load_before: loadavg()
      .map((x) => x.toFixed(2))
      .join(" "),
  };
  try {
    const journalDir = join(root, "journal");
    const clock = { t: Date.UTC(2025, 0, 1) };
    const j = await openJournal({
      dir: journalDir,
      clock: () => new Date(clock.t),
      actor: { user: "amal", host: "dr" },
    });
    let t0 = performance.now();
    const years: Year[] = [];
    for (let p = 0; p < profiles; p++)
      years.push(
        await generateYear(
          join(root, `p${p}`),
          {
            profile: `clinic-${p}`,
            year: 2025,
            skipDays: [40 + p],
            manualDays: [],
            failQuarter: p % 4,
            expiredLockMonth: p % 12,
          },
          { j, clock },
        ),
      );
    const evidence = (await j.query({ limit: 1 })).total;
    // The rest of the journal: what an operator's year also holds (notes, alerts, Neon operations), spread over it.
    const filler = Math.max(0, total - evidence);
    const kinds = ["operator.note", "alert", "neon.recover-to", "verify.run", "forensics.copy"];
    const start = Date.UTC(2025, 0, 1);
    for (let i = 0; i < filler; i += 20_000) {
      const batch: Promise<unknown>[] = [];
      for (let k = i; k < Math.min(filler, i + 20_000); k++) {
        clock.t = start + Math.floor((k / filler) * 365 * 86_400_000);
        batch.push(
          j.append({
            kind: kinds[k % 5]!,
            profile: `clinic-${k % profiles}`,
            summary: `operation ${k}`,
            outcome: "ok",
            details: { n: k },
          }),
        );
      }
      await Promise.all(batch);
    }
    await j.close();
    out.generate_s = Math.round((performance.now() - t0) / 100) / 10;
    out.records = evidence + filler;
    out.profiles = profiles;

    const reader = openJournalReader(journalDir);
    await reader.count();
    const config = years.map((y) => Profile.parse(y.profile));
    const stores = new Map(years.map((y) => [y.profile.name, new FolderStore(y.storeDir)]));
    const times: number[] = [];
    const base: number[] = [];
    for (let k = 0; k < 3; k++) {
      t0 = performance.now();
      await reader.count({ kind: "backup.run" });
      base.push(ms(t0));
      t0 = performance.now();
      const { report } = await buildComplianceReport(
        { controlSet: "hipaa", from: "2025-01-01", to: "2025-12-31" },
        {
          profiles: config,
          store: async (p) => stores.get(p.name)!,
          journal: reader,
          practiceDirs: [years[0]!.practiceDir],
          now: years[0]!.now,
          timeoutMs: 60_000,
        },
      );
      times.push(ms(t0));
      out.items = report.items.length;
    }
    times.sort((a, b) => a - b);
    base.sort((a, b) => a - b);
    out.report_best_ms = times[0]!;
    out.report_median_ms = times[1]!;
    out.baseline_indexed_count_median_ms = base[1]!;
    out.ratio_report_to_count = Math.round((times[1]! / Math.max(1, base[1]!)) * 10) / 10;
    out.goal_report_ms = 3000;
    out.load_after = loadavg()
      .map((x) => x.toFixed(2))
      .join(" ");
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
