// The one executor that walks any runbook. It knows nothing of screens: the console draws its state, and a test drives
// it with a fake API. Every step it completes, skips or fails is journaled against the runbook's incident.
import type { Severity } from "../incident.ts";
import type { ActionStep, ChecklistStep, RecordStep, RunbookDefinition, RunbookStep } from "./runbook-types.ts";
import type { ApiResult } from "../api/api-result.ts";
import type { ErrorInfo } from "../errors.ts";
import { failedExpectations, holds, resolveTemplate, type TemplateContext } from "./template.ts";

export type Invoke = (channel: string, payload: unknown) => Promise<ApiResult>;

/** The incident channels the executor journals through (names from src/shared/api/channels). */
export const RUNBOOK_CHANNELS = {
  openIncident: "incidents.open",
  recordStep: "runbooks.record",
  tickChecklist: "incidents.checklist",
  closeIncident: "incidents.close",
  correctDetection: "incidents.detectedAt",
} as const;
export type RunbookChannels = { [K in keyof typeof RUNBOOK_CHANNELS]: string };

export type StepStatus = "pending" | "running" | "done" | "failed" | "skipped";

export interface StepState {
  status: StepStatus;
  result?: unknown;
  error?: ErrorInfo;
  /** Expectations the result did not meet, in the operator's words. */
  failures?: string[];
  values?: Record<string, unknown>;
  /** Ids of the checklist items ticked so far. */
  ticked?: string[];
  skipReason?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Ties the action's progress events to this step (long channels only). */
  operationId?: string;
  /** False when the step happened but its journal record could not be written: shown, never hidden. */
  journaled?: boolean;
}

export type RunPhase = "not-started" | "starting" | "in-progress" | "closing" | "closed";

export interface RunState {
  phase: RunPhase;
  incidentId?: string;
  openedAt?: string;
  /** When the problem was detected: the RTO clock runs from here (the open time unless the operator gave one). */
  detectedAt?: string;
  /** A drill (the weekly test, practice), labelled as such, never as an incident. */
  drill?: boolean;
  closedAt?: string;
  steps: Readonly<Record<string, StepState>>;
  /** A failure of the run itself (opening or closing the incident). */
  error?: ErrorInfo;
}

export interface StartInput {
  title: string;
  severity: Severity;
  /** When the problem was first noticed, if before now (ISO 8601). */
  detectedAt?: string;
  /** A drill or practice (default: the runbook's scenario is backup-test). */
  drill?: boolean;
  /** Continue inside an incident that is already open instead of opening a new one. */
  attachTo?: { id: string; openedAt: string; detectedAt?: string; drill?: boolean };
}

export interface ExecutorOptions {
  invoke: Invoke;
  channels?: RunbookChannels;
  /** The profile as the API describes it (never secret values); templates read it as `profile`. */
  profile: Record<string, unknown> & { name: string };
  now?: () => Date;
}

export class RunbookExecutor {
  private state: RunState;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => Date;
  private readonly channels: RunbookChannels;

  constructor(
    readonly runbook: RunbookDefinition,
    private readonly opts: ExecutorOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
    this.channels = opts.channels ?? RUNBOOK_CHANNELS;
    this.state = {
      phase: "not-started",
      steps: Object.fromEntries(runbook.steps.map((s) => [s.id, { status: "pending" }])),
    };
  }

  getState = (): RunState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** What templates and conditions see. */
  context(): TemplateContext {
    const inputs: Record<string, unknown> = {};
    const results: Record<string, unknown> = {};
    for (const step of this.runbook.steps) {
      const s = this.state.steps[step.id]!;
      if (s.values) inputs[step.id] = s.values;
      if (step.kind === "action" && s.status === "done" && s.result !== undefined)
        results[step.saveAs ?? step.id] = s.result;
    }
    return {
      profile: this.opts.profile,
      incident: { id: this.state.incidentId, openedAt: this.state.openedAt },
      inputs,
      results,
      now: this.now().toISOString(),
    };
  }

  applies(step: RunbookStep): boolean {
    return !step.when || holds(step.when, this.context());
  }

  /** The step the operator is on: the first applicable one not yet done or skipped. */
  current(): RunbookStep | undefined {
    return this.runbook.steps.find(
      (s) => this.applies(s) && !["done", "skipped"].includes(this.state.steps[s.id]!.status),
    );
  }

  remaining(): RunbookStep[] {
    return this.runbook.steps.filter(
      (s) => this.applies(s) && !["done", "skipped"].includes(this.state.steps[s.id]!.status),
    );
  }

  async start(input: StartInput): Promise<boolean> {
    if (this.state.phase !== "not-started") return false;
    if (input.attachTo) {
      const a = input.attachTo;
      this.set({
        phase: "in-progress",
        incidentId: a.id,
        openedAt: a.openedAt,
        detectedAt: a.detectedAt ?? a.openedAt,
        drill: !!a.drill,
      });
      await this.journal("start", `Runbook started: ${this.runbook.title}`, "info", `attached to ${input.attachTo.id}`);
      return true;
    }
    this.set({ phase: "starting", error: undefined });
    const r = await this.opts.invoke(this.channels.openIncident, {
      title: input.title,
      severity: input.severity,
      scenario: this.runbook.scenario,
      profile: this.opts.profile.name,
      runbook: this.runbook.id,
      ...(input.detectedAt ? { detectedAt: input.detectedAt } : {}),
      ...(input.drill !== undefined ? { drill: input.drill } : {}),
    });
    if (!r.ok) {
      this.set({ phase: "not-started", error: r.error });
      return false;
    }
    const v = r.value as { id: string; record?: { ts?: string; details?: Record<string, unknown> } };
    const openedAt = v.record?.ts ?? this.now().toISOString();
    const d = v.record?.details ?? {};
    this.set({
      phase: "in-progress",
      incidentId: v.id,
      openedAt,
      detectedAt: typeof d.detectedAt === "string" ? d.detectedAt : openedAt,
      drill: d.drill === true,
    });
    return true;
  }

  /** Corrects when the problem was detected; journaled, and the RTO clock runs from the new time. */
  async correctDetectedAt(detectedAt: string, note?: string): Promise<ErrorInfo | undefined> {
    const r = await this.opts.invoke(this.channels.correctDetection, {
      detectedAt,
      ...(note?.trim() ? { note: note.trim() } : {}),
      ...(this.state.incidentId ? { incident: this.state.incidentId } : {}),
    });
    if (!r.ok) return r.error;
    const at = (r.value as { details?: { detectedAt?: unknown } }).details?.detectedAt;
    this.set({ detectedAt: typeof at === "string" ? at : detectedAt });
    return undefined;
  }

  /** Runs an action step. A destructive one needs `confirmation` equal to its resolved confirm text. */
  async runAction(stepId: string, confirmation?: string): Promise<StepState> {
    const step = this.stepOf(stepId, "action");
    this.assertActive(step);
    if (this.state.steps[step.id]!.status === "running") return this.state.steps[step.id]!;
    const ctx = this.context();
    const payload = resolveTemplate(step.payload, ctx) as Record<string, unknown>;
    if (step.destructive) {
      const expected = String(resolveTemplate(step.destructive.confirmText, ctx) ?? "");
      if (!expected || confirmation !== expected) {
        return this.patch(step.id, {
          status: "failed",
          error: {
            code: "CONFIRMATION_REQUIRED",
            message: `Type "${expected}" to confirm.`,
            hint: step.destructive.warning,
          },
        });
      }
      payload[step.destructive.payloadKey] = confirmation;
    }
    const startedAt = this.now().toISOString();
    const operationId = step.progress
      ? `${step.id}-${this.now().getTime().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`
      : undefined;
    if (operationId) payload.operationId = operationId;
    this.patch(step.id, {
      status: "running",
      startedAt,
      operationId,
      error: undefined,
      failures: undefined,
      result: undefined,
    });
    const r = await this.opts.invoke(step.channel, payload);
    const finishedAt = this.now().toISOString();
    if (!r.ok) {
      const status = step.failureIsFinding ? "done" : "failed";
      this.patch(step.id, { status, error: r.error, finishedAt });
      await this.journal(
        step.id,
        step.title,
        step.failureIsFinding ? "info" : "failed",
        `${step.channel}: ${r.error.code}: ${r.error.message}`,
      );
      return this.state.steps[step.id]!;
    }
    const failures = failedExpectations(step.expect, r.value).map((e) => e.failure);
    this.patch(step.id, { status: failures.length ? "failed" : "done", result: r.value, failures, finishedAt });
    await this.journal(
      step.id,
      step.title,
      failures.length ? "failed" : "ok",
      failures.length ? `${step.channel}: ${failures.join(" ")}` : step.channel,
    );
    return this.state.steps[step.id]!;
  }

  /**
   * The failed current step's `redo`: the earlier action it names and every step after it start over (their results
   * are dropped, so later payloads read the new result), journaled, and that action runs again at once.
   */
  async redo(stepId: string): Promise<StepState> {
    const cur = this.current();
    if (this.state.phase !== "in-progress" || !cur || cur.kind !== "action" || cur.redo?.step !== stepId)
      throw new Error(`the current step does not offer to run ${stepId} again`);
    if (this.state.steps[cur.id]!.status !== "failed") throw new Error(`step ${cur.id} has not failed`);
    const step = this.stepOf(stepId, "action");
    const from = this.runbook.steps.indexOf(step);
    const steps = { ...this.state.steps };
    for (const s of this.runbook.steps.slice(from)) steps[s.id] = { status: "pending" };
    this.set({ steps });
    await this.journal(
      stepId,
      step.title,
      "info",
      `${cur.redo.label} (after "${cur.title}" failed): starting over here`,
    );
    return this.runAction(stepId);
  }

  /** Records what the operator typed, picked or ticked for a record step. Missing required fields are refused. */
  async submit(stepId: string, values: Record<string, unknown>): Promise<StepState> {
    const step = this.stepOf(stepId, "record");
    this.assertActive(step);
    const missing = step.fields.filter(
      (f) => f.required && (values[f.name] === undefined || values[f.name] === "" || values[f.name] === false),
    );
    if (missing.length) {
      return this.patch(step.id, {
        status: "failed",
        error: { code: "USAGE", message: `Fill in: ${missing.map((f) => f.label).join(", ")}.` },
      });
    }
    for (const f of step.fields) {
      if (f.type === "timestamp" && values[f.name] && Number.isNaN(Date.parse(String(values[f.name])))) {
        return this.patch(step.id, {
          status: "failed",
          error: {
            code: "USAGE",
            message: `${f.label} is not a time.`,
            hint: "Use a time such as 2026-01-17T14:29:59Z.",
          },
        });
      }
    }
    this.patch(step.id, { status: "done", values, error: undefined, finishedAt: this.now().toISOString() });
    if (step.journal) {
      const r = await this.opts.invoke(step.journal.channel, resolveTemplate(step.journal.payload, this.context()));
      this.patch(step.id, r.ok ? { journaled: true } : { journaled: false, error: r.error });
    } else {
      await this.journal(step.id, step.title, "ok", describeValues(step, values));
    }
    return this.state.steps[step.id]!;
  }

  /** Ticks one checklist item, by its id; the step is done when every item is ticked. */
  async tick(stepId: string, itemId: string): Promise<StepState> {
    const step = this.stepOf(stepId, "checklist");
    this.assertActive(step);
    if (!step.items.some((i) => i.id === itemId))
      throw new Error(`"${itemId}" is not on the checklist of step ${step.id}`);
    const ticked = [...new Set([...(this.state.steps[step.id]!.ticked ?? []), itemId])];
    const done = step.items.every((i) => ticked.includes(i.id));
    this.patch(step.id, {
      ticked,
      status: done ? "done" : "pending",
      ...(done ? { finishedAt: this.now().toISOString() } : {}),
    });
    const r = await this.opts.invoke(this.channels.tickChecklist, {
      item: itemId,
      ...(this.state.incidentId ? { incident: this.state.incidentId } : {}),
    });
    if (!r.ok) this.patch(step.id, { journaled: false, error: r.error });
    return this.state.steps[step.id]!;
  }

  /** Skips an optional step, or a failed one the operator decides to move past; the reason is journaled. */
  async skip(stepId: string, reason: string): Promise<StepState> {
    const step = this.runbook.steps.find((s) => s.id === stepId);
    if (!step) throw new Error(`no step ${stepId}`);
    this.assertActive(step);
    const s = this.state.steps[step.id]!;
    if (!step.optional && s.status !== "failed")
      throw new Error(`step ${step.id} is required; it can be skipped only after it failed`);
    if (!reason.trim())
      return this.patch(step.id, { error: { code: "USAGE", message: "Say why the step is skipped." } });
    this.patch(step.id, { status: "skipped", skipReason: reason.trim(), finishedAt: this.now().toISOString() });
    await this.journal(step.id, step.title, "info", `skipped: ${reason.trim()}`);
    return this.state.steps[step.id]!;
  }

  /** `unrepairedReason`: why the incident closes while its data repair left damage (the engine refuses otherwise). */
  async close(resolution: string, unrepairedReason?: string): Promise<boolean> {
    if (this.state.phase !== "in-progress") return false;
    this.set({ phase: "closing", error: undefined });
    const r = await this.opts.invoke(this.channels.closeIncident, {
      ...(this.state.incidentId ? { incident: this.state.incidentId } : {}),
      ...(resolution.trim() ? { resolution: resolution.trim() } : {}),
      ...(unrepairedReason?.trim() ? { unrepairedReason: unrepairedReason.trim() } : {}),
    });
    if (!r.ok) {
      this.set({ phase: "in-progress", error: r.error });
      return false;
    }
    this.set({ phase: "closed", closedAt: this.now().toISOString() });
    return true;
  }

  private async journal(step: string, title: string, outcome: "ok" | "failed" | "info", value: string): Promise<void> {
    const r = await this.opts.invoke(this.channels.recordStep, {
      runbook: this.runbook.id,
      step,
      title,
      outcome,
      ...(value ? { value: value.slice(0, 10000) } : {}),
      ...(this.state.incidentId ? { incident: this.state.incidentId } : {}),
      profile: this.opts.profile.name,
    });
    if (step in this.state.steps) this.patch(step, r.ok ? { journaled: true } : { journaled: false });
  }

  private stepOf<K extends RunbookStep["kind"]>(id: string, kind: K): Extract<RunbookStep, { kind: K }> {
    const step = this.runbook.steps.find((s) => s.id === id);
    if (!step || step.kind !== kind) throw new Error(`step ${id} is not a ${kind} step of ${this.runbook.id}`);
    return step as Extract<RunbookStep, { kind: K }>;
  }

  private assertActive(step: ActionStep | RecordStep | ChecklistStep | RunbookStep): void {
    if (this.state.phase !== "in-progress") throw new Error("start the runbook first: starting it opens the incident");
    if (this.current()?.id !== step.id) throw new Error(`step ${step.id} is not the current step`);
  }

  private set(patch: Partial<RunState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  private patch(id: string, patch: Partial<StepState>): StepState {
    const next = { ...this.state.steps[id]!, ...patch };
    this.set({ steps: { ...this.state.steps, [id]: next } });
    return next;
  }
}

/** What the operator recorded, as one line for the journal: "Recovery point: 2026-01-17T14:29:59Z; Table: ClinicalNote". */
export function describeValues(step: RecordStep, values: Record<string, unknown>): string {
  return step.fields
    .filter((f) => values[f.name] !== undefined && values[f.name] !== "")
    .map((f) => `${f.label}: ${f.type === "checkbox" ? (values[f.name] ? "yes" : "no") : String(values[f.name])}`)
    .join("; ");
}
