// Tested restore procedure: restores actually performed in the period (deep verifies, DR drills, Neon tests), with
// their results and the time of each phase. The most recent test decides: a restore that worked last spring and
// fails today is not a tested procedure.
import type { EvidenceIndex, Period } from "./evidence-index.ts";
import { factTable, plural, result, type ItemResult } from "./item-result.ts";
import { RESTORE_COLUMNS, restoreRow, restoreTests } from "./restore-tests.ts";

export function testedRestore(ix: EvidenceIndex, profile: string, period: Period): ItemResult {
  const tests = restoreTests(ix, profile, period);
  const tables = [factTable("Restore tests in the period", RESTORE_COLUMNS, tests.map(restoreRow))];
  const evidence = tests.map((t) => t.record.ref);
  const failed = tests.filter((t) => !t.pass);
  const findings = failed.map(
    (t) => `${restoreRow(t)[1]} of ${restoreRow(t)[0]} failed: ${t.why ?? "no reason recorded"}`,
  );
  if (!tests.length)
    return result("NOT_EVIDENCED", "No deep verify, DR drill or Neon test was recorded in the period.", { tables });
  const latest = tests.at(-1)!;
  const passed = tests.length - failed.length;
  if (!latest.pass)
    return result(
      "FAIL",
      `The most recent restore test (${restoreRow(latest)[1]}, ${restoreRow(latest)[0]}) failed; ${passed} of ${tests.length} passed in the period.`,
      { findings, tables, evidence },
    );
  return result(
    "PASS",
    `${plural(passed, "restore test")} of ${tests.length} passed in the period, the most recent on ${restoreRow(latest)[0]}.`,
    { findings, tables, evidence },
  );
}
