// The operator's decisions on a plan's conflicts and incident-inserted rows: checked against the plan, appended to a
// file beside it (the latest decision on a row wins) and journaled, so apply and verify see them and the post-mortem
// can show who chose what.
import { appendFile, readFile } from "node:fs/promises";
import { LifeboatError } from "../../../shared/errors.ts";
import { Decision, type PlanEntry } from "../../../shared/repair-plan.ts";
import type { ForensicsContext } from "../forensics-context.ts";
import { planEntries, planPath } from "./plan-file.ts";
import { keyId } from "./state-rows.ts";

export type Decisions = Map<string, Decision>;

export function decisionKey(table: string, key: readonly string[]): string {
  return `${table}\u0000${keyId(key)}`;
}

function decisionsPath(dir: string, planId: string): string {
  return planPath(dir, planId).replace(/\.plan\.jsonl$/, ".decisions.jsonl");
}

export async function loadDecisions(dir: string, planId: string): Promise<Decisions> {
  const out: Decisions = new Map();
  let text: string;
  try {
    text = await readFile(decisionsPath(dir, planId), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return out;
    throw e;
  }
  for (const line of text.split("\n")) {
    if (!line) continue;
    const d = Decision.safeParse(JSON.parse(line));
    if (d.success) out.set(decisionKey(d.data.table, d.data.key), d.data);
  }
  return out;
}

const ALLOWED: Record<PlanEntry["class"], Decision["choice"][]> = {
  conflict: ["keep-now", "take-before", "per-column"],
  inserted: ["keep", "remove"],
  reinsert: ["keep-now", "take-before"],
  restore: ["keep-now", "take-before"],
};

function refuse(message: string, hint: string): LifeboatError {
  return new LifeboatError("USAGE", message, hint);
}

function check(d: Decision, e: PlanEntry | undefined): void {
  const what = `${d.table} ${JSON.stringify(d.key)}`;
  if (!e)
    throw refuse(
      `the plan has no damaged row ${what}`,
      "Decide only on rows the plan lists (its drill-down or CSV export shows them).",
    );
  if (!ALLOWED[e.class].includes(d.choice))
    throw refuse(
      `"${d.choice}" does not apply to ${what}, a ${e.class} row`,
      `Choose one of: ${ALLOWED[e.class].join(", ")}.`,
    );
  if (d.choice === "per-column") {
    const bad = (d.takeBefore ?? []).filter((c) => !e.columns.includes(c));
    if (!d.takeBefore?.length || bad.length)
      throw refuse(
        `per-column for ${what} needs columns that differ on that row${bad.length ? `; not among them: ${bad.join(", ")}` : ""}`,
        `Name the columns whose before value to take, from: ${e.columns.join(", ")}.`,
      );
  }
}

/** Records decisions on rows of the plan (all checked first: one bad decision records none). */
export async function recordDecisions(
  dir: string,
  planId: string,
  decisions: readonly Decision[],
  ctx: ForensicsContext,
): Promise<{ recorded: number }> {
  const wanted = new Map(decisions.map((d) => [decisionKey(d.table, d.key), d]));
  const found = new Map<string, PlanEntry>();
  for await (const e of planEntries(planPath(dir, planId))) {
    const k = decisionKey(e.table, e.key);
    if (wanted.has(k)) found.set(k, e);
  }
  for (const [k, d] of wanted) check(d, found.get(k));
  const counts: Record<string, number> = {};
  for (const d of wanted.values()) counts[d.choice] = (counts[d.choice] ?? 0) + 1;
  return ctx.journal.step(
    {
      kind: "forensics.decision",
      summary: `Decisions on repair plan ${planId}: ${Object.entries(counts)
        .map(([c, n]) => `${n} ${c}`)
        .join(", ")}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: {
        planId,
        counts,
        // The rows themselves, so the post-mortem says who chose what (capped: a bulk decision names its first rows).
        rows: [...wanted.values()].slice(0, 200).map((d) => ({
          table: d.table,
          key: d.key,
          choice: d.choice,
          ...(d.takeBefore ? { takeBefore: d.takeBefore } : {}),
        })),
      },
    },
    async () => {
      const at = new Date().toISOString();
      await appendFile(
        decisionsPath(dir, planId),
        [...wanted.values()].map((d) => JSON.stringify({ ...d, at }) + "\n").join(""),
        { mode: 0o600 },
      );
      return { recorded: wanted.size };
    },
    (r) => r,
  );
}

/** Every row of one table (and class) of the plan, as decisions with one choice: "keep now for all conflicts". */
export async function decisionsForAll(
  dir: string,
  planId: string,
  table: string,
  cls: PlanEntry["class"],
  choice: Decision["choice"],
): Promise<Decision[]> {
  const out: Decision[] = [];
  for await (const e of planEntries(planPath(dir, planId)))
    if (e.table === table && e.class === cls) out.push({ table, key: e.key, choice });
  return out;
}
