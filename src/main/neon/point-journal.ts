// A recovery point is resolved once, and then only ever shown and repeated in its absolute form: "30 minutes ago"
// typed again after a failure would be another moment, and would throw away what was written in between.
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { JournalReader } from "../journal/journal.ts";
import { neonTimestamp, type RecoveryPoint } from "./recovery-point.ts";

/** "2026-01-17T14:29:59Z" or "0/1A2B3C4": the point as any later command must give it. */
export function pointAbsolute(p: RecoveryPoint): string {
  return p.kind === "lsn" ? p.lsn : neonTimestamp(p.at);
}

/**
 * Says, before anything is sent, which instant a point stands for: a relative time is fixed here, and every later
 * message, journal record and hint uses this form. Neon's public API has no call that turns a time into an LSN without
 * making something (a branch or a snapshot), so the LSN is Neon's to resolve; where Neon reports it afterwards (a new
 * branch's parent_lsn), Lifeboat reports it too.
 */
export function announcePoint(point: RecoveryPoint | undefined, onNote: ((text: string) => void) | undefined): void {
  if (!point || !onNote) return;
  const abs = pointAbsolute(point);
  if (point.kind === "timestamp" && point.relative)
    onNote(`point: "${point.input}" is fixed at ${abs}; Lifeboat sends, journals and reports that instant from now on`);
  else if (point.input !== abs) onNote(`point: "${point.input}" is ${abs}`);
}

/** Runs `fn`; any LifeboatError it throws leaves with the absolute point in its hint and details. */
export async function withPointHint<T>(
  point: RecoveryPoint | undefined,
  flag: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!point || !(e instanceof LifeboatError)) throw e;
    const abs = pointAbsolute(point);
    const relative = point.kind === "timestamp" && point.relative;
    const note = relative
      ? `The point "${point.input}" was fixed at ${abs}: if you run this again, give ${flag} "${abs}", not "${point.input}", which would mean another moment by then.`
      : `The point was ${abs}.`;
    throw new LifeboatError(
      e.code,
      e.message,
      [e.hint, note].filter(Boolean).join(" "),
      { ...e.details, pointAbsolute: abs },
      { cause: e },
    );
  }
}

/** The context's journal, when it can also be read (the CLI's and the console's can). */
export function journalReaderOf(ctx: Pick<EngineContext, "journal">): Pick<JournalReader, "query"> | undefined {
  const j = ctx.journal as unknown as { query?: unknown };
  return typeof j.query === "function" ? (ctx.journal as unknown as Pick<JournalReader, "query">) : undefined;
}
