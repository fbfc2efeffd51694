// Folds an incident's records (streamed, in seq order) into what a post-mortem needs: the RTO clock, the achieved
// RPO, checklist status, notes, decisions, follow-ups, runbook steps and the operations run. Every word the operators
// wrote is kept (an incident's notes are few); only the operations list of a huge extract keeps its first entries and
// counts the rest, and the timeline, which exports stream separately, has every record in full.
import type {
  IncidentNote,
  IncidentOperation,
  IncidentReport,
  JournalRecord,
} from "../../shared/api/journal-schemas.ts";
import { KIND } from "../journal/record.ts";
import { RepairTracker } from "./repair-status.ts";
import {
  checklistIdOfTick,
  DEFAULT_TARGETS,
  POST_RECOVERY_CHECKLIST,
  type Contact,
  type Targets,
} from "../../shared/incident.ts";
import { DEFAULT_CONTACTS } from "./incident-model.ts";

/** Operations beyond this many are counted, not listed (a whole-journal extract can hold millions). */
const LIST_CAP = 500;
/** Operator words are kept far longer: in an incident, all of them; in a whole-journal extract, the timeline has the rest. */
const WORDS_CAP = 10_000;

function ms(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

function noteOf(rec: JournalRecord): IncidentNote {
  return { seq: rec.seq, ts: rec.ts, by: rec.actor?.user ?? "?", text: str(rec.details?.text) ?? rec.summary };
}

// add() runs once per record of an export (100,000s): no closures or allocations on the common path.
export class IncidentReportBuilder {
  private r: IncidentReport;
  private open = new Map<number, IncidentOperation>();
  private recoveryPointFromOk = false;
  private repair = new RepairTracker();

  constructor(
    id: string,
    private readonly now: Date = new Date(),
  ) {
    this.r = {
      id,
      title: id,
      drill: false,
      status: "open",
      targets: { ...DEFAULT_TARGETS },
      rto: { fromLabel: "detection" },
      rpo: { basis: "unknown" },
      checklist: POST_RECOVERY_CHECKLIST.map(({ id, text }) => ({ id, item: text, done: false })),
      notes: [],
      decisions: [],
      followUps: [],
      steps: [],
      operations: [],
      contacts: [],
      counts: { records: 0, byOutcome: {}, operations: 0, omitted: 0 },
    };
  }

  private push<T>(list: T[], v: T, cap = LIST_CAP): void {
    if (list.length < cap) list.push(v);
    else this.r.counts.omitted++;
  }

  add(rec: JournalRecord): void {
    const r = this.r;
    const d = rec.details ?? {};
    r.counts.records++;
    r.counts.byOutcome[rec.outcome] = (r.counts.byOutcome[rec.outcome] ?? 0) + 1;
    r.firstSeq ??= rec.seq;
    r.firstTs ??= rec.ts;
    r.lastSeq = rec.seq;
    r.lastTs = rec.ts;
    if (rec.kind.startsWith("forensics.") || rec.kind === KIND.incidentClose) this.repair.add(rec);

    // Any record may carry the two RPO inputs (an operator note, or a restore's summary details).
    const corruption = str(d.corruptionTime);
    if (corruption && ms(corruption) !== undefined) r.rpo.corruptionTime = corruption;
    const rp = str(d.recoveryPoint);
    if (rp && ms(rp) !== undefined) {
      // The point actually used is the one a successful operation reports; a plan in a note counts until then.
      if (rec.outcome === "ok" || !this.recoveryPointFromOk) r.rpo.recoveryPoint = rp;
      if (rec.outcome === "ok" && rec.kind !== KIND.note) this.recoveryPointFromOk = true;
    }

    switch (rec.kind) {
      case KIND.incidentOpen: {
        r.title = str(d.title) ?? r.title;
        r.severity = str(d.severity);
        r.scenario = str(d.scenario);
        r.openedAt = rec.ts;
        r.drill = d.drill === true;
        if (rec.profile) r.profile = rec.profile;
        r.detectedAt = str(d.detectedAt) ?? rec.ts;
        const t = d.targets as Partial<Targets> | undefined;
        if (t && typeof t === "object") r.targets = { ...r.targets, ...t };
        if (Array.isArray(d.contacts)) r.contacts = d.contacts as Contact[];
        return;
      }
      case KIND.detectedAt: {
        const at = str(d.detectedAt);
        if (at && ms(at) !== undefined) {
          r.detectedAtOriginal ??= r.detectedAt;
          r.detectedAt = at;
        }
        return;
      }
      case KIND.serviceRestored:
        r.serviceRestoredAt ??= str(d.at) ?? rec.ts;
        return;
      case KIND.incidentClose:
        r.status = "closed";
        r.closedAt = rec.ts;
        r.resolution = str(d.resolution);
        return;
      case KIND.note:
        this.push(r.notes, noteOf(rec), WORDS_CAP);
        return;
      case KIND.decision:
        this.push(r.decisions, noteOf(rec), WORDS_CAP);
        return;
      case KIND.followUp:
        this.push(r.followUps, noteOf(rec), WORDS_CAP);
        return;
      case "runbook.step":
        this.push(
          r.steps,
          {
            seq: rec.seq,
            ts: rec.ts,
            by: rec.actor?.user ?? "?",
            runbook: str(d.runbook) ?? "runbook",
            step: str(d.step) ?? "",
            title: str(d.title) ?? rec.summary,
            outcome: rec.outcome,
            ...(str(d.value) ? { value: str(d.value) } : {}),
          },
          WORDS_CAP,
        );
        return;
      case KIND.step: {
        const id = checklistIdOfTick(d);
        const item = id === undefined ? undefined : r.checklist.find((c) => c.id === id);
        if (item && !item.done) Object.assign(item, { done: true, at: rec.ts, by: rec.actor?.user ?? "?" });
        return;
      }
    }
    // The journal's own bookkeeping (exports, repairs) is in the timeline but is not an operation of the recovery.
    if (rec.kind.startsWith("journal.")) return;
    if (rec.outcome === "started") {
      const op: IncidentOperation = {
        seq: rec.seq,
        kind: rec.kind,
        summary: rec.summary,
        outcome: "started",
        startedAt: rec.ts,
      };
      this.open.set(rec.seq, op);
      r.counts.operations++;
      this.push(r.operations, op);
      return;
    }
    if (rec.outcome === "ok" || rec.outcome === "failed" || rec.outcome === "refused" || rec.outcome === "cancelled") {
      const startSeq = typeof d.startSeq === "number" ? d.startSeq : undefined;
      const started = startSeq !== undefined ? this.open.get(startSeq) : undefined;
      const error =
        d.error && typeof d.error === "object" ? str((d.error as Record<string, unknown>).message) : undefined;
      if (started) {
        this.open.delete(startSeq!);
        Object.assign(started, {
          outcome: rec.outcome,
          endedAt: rec.ts,
          ...(rec.durationMs !== undefined ? { durationMs: rec.durationMs } : {}),
          ...(error ? { error } : {}),
        });
      } else {
        r.counts.operations++;
        this.push(r.operations, {
          seq: rec.seq,
          kind: rec.kind,
          summary: rec.summary,
          outcome: rec.outcome,
          startedAt:
            rec.durationMs !== undefined ? new Date(Date.parse(rec.ts) - rec.durationMs).toISOString() : rec.ts,
          endedAt: rec.ts,
          ...(rec.durationMs !== undefined ? { durationMs: rec.durationMs } : {}),
          ...(error ? { error } : {}),
        });
      }
    }
  }

  finish(): IncidentReport {
    const r = this.r;
    if (!r.contacts.length) r.contacts = DEFAULT_CONTACTS;
    const repair = this.repair.status();
    if (repair) r.repair = repair;
    const from = r.detectedAt ?? r.openedAt ?? r.firstTs;
    r.rto.from = from;
    r.rto.fromLabel = r.detectedAt && r.detectedAt !== r.openedAt ? "detection" : "incident opened";
    if (from && r.serviceRestoredAt) {
      r.rto.to = r.serviceRestoredAt;
      r.rto.achievedMs = (ms(r.serviceRestoredAt) as number) - (ms(from) as number);
      r.rto.met = r.rto.achievedMs <= r.targets.rtoMinutes * 60_000;
    } else if (from) {
      const end = r.closedAt ? ms(r.closedAt)! : this.now.getTime();
      r.rto.elapsedMs = end - (ms(from) as number);
    }
    const rpo = r.rpo;
    const point = ms(rpo.recoveryPoint);
    if (point !== undefined) {
      const corruption = ms(rpo.corruptionTime);
      const bound = corruption ?? ms(r.detectedAt);
      rpo.basis = corruption !== undefined ? "corruption-time" : bound !== undefined ? "detection-time" : "unknown";
      if (bound !== undefined) {
        rpo.achievedMs = bound - point;
        if (rpo.achievedMs < 0) {
          rpo.note =
            "The recovery point is later than the corruption time: the restored data may still contain the damage.";
          rpo.met = false;
        } else {
          rpo.met = rpo.achievedMs <= r.targets.rpoMinutes * 60_000;
          if (rpo.basis === "detection-time")
            rpo.note =
              "No corruption time was recorded, so this is measured to detection: an upper bound on the data lost.";
        }
      }
    }
    return r;
  }
}
