// A plan file is applied only as it was made: its sha256 now must equal the digest journaled with forensics.plan.
// The journal is the reference (hash-chained, so a digest cannot be edited there without verify noticing); a plan file
// edited by hand, truncated, or copied from elsewhere is refused before anything reads its rows.
import { basename } from "node:path";
import { LifeboatError } from "../../../shared/errors.ts";
import type { JournalReader } from "../../journal/journal.ts";
import { fileDigest } from "./plan-file.ts";

/** The plan id a plan file is named after (plans/<id>.plan.jsonl). */
export function planIdOf(path: string): string {
  return basename(path).replace(/\.plan\.jsonl$/, "");
}

/** The digest the journal recorded when the plan was made; null when the journal has no finished plan by that id. */
export async function journaledPlanDigest(reader: JournalReader, planId: string): Promise<string | null> {
  const r = await reader.query({ kind: "forensics.plan", outcome: "ok", text: planId, newest: true, limit: 20 });
  const rec = r.records.reverse().find((x) => x.details?.planId === planId && typeof x.details.digest === "string");
  return (rec?.details?.digest as string | undefined) ?? null;
}

/** When the plan was last applied for real (a committed forensics.apply), if ever. */
export async function planAppliedAt(reader: JournalReader, planId: string): Promise<string | null> {
  const r = await reader.query({ kind: "forensics.apply", outcome: "ok", text: planId, newest: true, limit: 50 });
  const rec = r.records.reverse().find((x) => x.details?.planId === planId && x.details.dryRun === false);
  return rec?.ts ?? null;
}

/** The plan file's digest, after checking it against the journaled one (refused when they differ or none exists). */
export async function checkedPlanDigest(path: string, journaled: string | null): Promise<string> {
  const planId = planIdOf(path);
  const digest = await fileDigest(path);
  if (journaled === null)
    throw new LifeboatError(
      "PLAN_TAMPERED",
      `the journal has no record of repair plan ${planId} being made, so its file cannot be trusted; nothing was written`,
      "Make the plan again with `lifeboat forensics plan` (or the console's Scenario 1) in this session, review it, and use the new one.",
      { planId, digest },
    );
  if (digest !== journaled)
    throw new LifeboatError(
      "PLAN_TAMPERED",
      `the repair plan file ${planId} was changed after it was made (sha256 ${digest.slice(0, 12)}…, journaled ${journaled.slice(0, 12)}…); nothing was written`,
      "Do not edit plan files: make the plan again with `lifeboat forensics plan`, review it (export it to CSV to read it), and apply the new one.",
      { planId, digest, journaled },
    );
  return digest;
}
