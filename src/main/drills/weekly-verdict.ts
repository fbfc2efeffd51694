// The weekly backup test ends with one verdict, computed here from what the test itself journaled: the Neon drill (when
// the profile has Neon) and the deep verify of the newest backup, in this incident. PASS only when both passed; a step
// that was skipped or never ran is a FAIL that says so. The operator may add a note; nothing they type changes it.
import type { Profile } from "../../shared/config.ts";
import type { OpenJournal } from "../journal/journal.ts";
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";

export interface VerdictCheck {
  name: "Neon drill" | "Deep verify of the newest backup";
  pass: boolean;
  detail: string;
  seq?: number;
}

export interface WeeklyVerdict {
  pass: boolean;
  verdict: "PASS" | "FAIL";
  reason: string;
  checks: VerdictCheck[];
  record: JournalRecord;
}

const ended = (r: JournalRecord) => r.outcome !== "started" && r.outcome !== "info";

async function newest(j: OpenJournal, incident: string, kind: string): Promise<JournalRecord | undefined> {
  const found = (await j.query({ incident, kind, newest: true, limit: 50 })).records.filter(ended);
  return found.at(-1);
}

function errorText(r: JournalRecord): string {
  const e = r.details.error as { message?: unknown } | undefined;
  const failures = Array.isArray(r.details.failures) ? (r.details.failures as unknown[]).map(String) : [];
  return [typeof e?.message === "string" ? e.message : "", ...failures].filter(Boolean).join("; ") || r.summary;
}

async function drillCheck(j: OpenJournal, incident: string): Promise<VerdictCheck> {
  const name = "Neon drill";
  const drill = await newest(j, incident, "drill.neon");
  if (drill) {
    const pass = drill.outcome === "ok" && drill.details.pass !== false;
    const counts = Array.isArray(drill.details.counts) ? drill.details.counts.length : 0;
    return {
      name,
      pass,
      seq: drill.seq,
      detail: pass
        ? `branched back ${String(drill.details.offset ?? "")} and counted ${counts} key tables, as expected`
        : `failed: ${errorText(drill)}`,
    };
  }
  const skipped = (await j.query({ incident, kind: "runbook.step", text: "skipped:", newest: true, limit: 50 })).records
    .filter((r) => r.details.step === "neon-drill")
    .at(-1);
  return {
    name,
    pass: false,
    ...(skipped ? { seq: skipped.seq } : {}),
    detail: skipped
      ? `was skipped (${String(skipped.details.value ?? "").replace(/^skipped:\s*/, "")}), so Neon's history was not proven`
      : "did not run in this test",
  };
}

async function deepCheck(j: OpenJournal, incident: string): Promise<VerdictCheck> {
  const name = "Deep verify of the newest backup";
  const deep = await newest(j, incident, "verify.deep");
  if (!deep) return { name, pass: false, detail: "did not run in this test" };
  const pass = deep.outcome === "ok";
  return {
    name,
    pass,
    seq: deep.seq,
    detail: pass
      ? `backup ${String(deep.details.id ?? "")} restored into a throwaway database, all ${String(
          (deep.details.deep as { tables?: unknown } | undefined)?.tables ?? deep.details.tables ?? "",
        )} tables' counts equal to its manifest`
      : `failed: ${errorText(deep)}`,
  };
}

export async function weeklyVerdict(
  j: OpenJournal,
  profile: Profile,
  input: { incident: string; note?: string },
): Promise<WeeklyVerdict> {
  const checks = [...(profile.neon ? [await drillCheck(j, input.incident)] : []), await deepCheck(j, input.incident)];
  const pass = checks.every((c) => c.pass);
  const failed = checks.filter((c) => !c.pass);
  const reason = pass
    ? `${checks.map((c) => `${c.name}: ${c.detail}`).join("; ")}.`
    : `${failed.map((c) => `${c.name} ${c.detail}`).join("; ")}.`;
  const note = input.note?.trim();
  const record = await j.append({
    kind: "backup-test.verdict",
    incident: input.incident,
    profile: profile.name,
    summary: `Weekly backup test: ${pass ? "PASS" : "FAIL"} — ${reason}`,
    details: {
      pass,
      verdict: pass ? "PASS" : "FAIL",
      reason,
      checks,
      ...(note ? { note } : {}),
    },
    outcome: pass ? "ok" : "failed",
  });
  return { pass, verdict: pass ? "PASS" : "FAIL", reason, checks, record };
}
