import { LifeboatError } from "../../shared/errors.ts";
import type { Mutex } from "./mutex.ts";
import { locked } from "./neon-error.ts";
import { newOperationId } from "./neon-ids.ts";
import type { OperationRecord } from "./sandbox-state.ts";

export interface StepSpec {
  action: string;
  branchId?: string;
  endpointId?: string;
  run: () => Promise<void>;
}

const KEEP_OPERATIONS = 500;

/**
 * Neon's operations: every mutating request returns the operations it scheduled; they go scheduling -> running ->
 * finished (or failed) in the background, one request's at a time, and the client polls them. While any is pending,
 * another mutating request is refused with 423, as Neon does.
 */
export class OperationQueue {
  /** Each operation stays "running" at least this long: lets tests (and people) watch 423 and polling happen. */
  delayMs = 0;
  private reserved = false;
  private current: Promise<void> = Promise.resolve();
  private delayAbort = new AbortController();

  constructor(
    private readonly projectId: string,
    private readonly records: OperationRecord[],
    private readonly mutex: Mutex,
    private readonly changed: () => Promise<void>,
  ) {}

  busy(): boolean {
    return this.reserved || this.records.some((o) => o.status === "scheduling" || o.status === "running");
  }

  /**
   * Claims the project for one mutating request before its validation awaits anything, so two requests arriving
   * together cannot both pass. Throws Neon's 423 when claimed already; release() if the request is refused.
   */
  reserve(): { release: () => void } {
    if (this.busy()) throw locked();
    this.reserved = true;
    let released = false;
    return {
      release: () => {
        if (!released) this.reserved = false;
        released = true;
      },
    };
  }

  /** Records the steps as operations (scheduling), starts running them in order, and returns the records. */
  start(steps: StepSpec[], release: () => void): OperationRecord[] {
    const now = new Date().toISOString();
    const ops: OperationRecord[] = steps.map((s) => ({
      id: newOperationId(),
      project_id: this.projectId,
      ...(s.branchId ? { branch_id: s.branchId } : {}),
      ...(s.endpointId ? { endpoint_id: s.endpointId } : {}),
      action: s.action,
      status: "scheduling",
      failures_count: 0,
      created_at: now,
      updated_at: now,
      total_duration_ms: 0,
    }));
    this.records.push(...ops);
    if (this.records.length > KEEP_OPERATIONS) this.records.splice(0, this.records.length - KEEP_OPERATIONS);
    release();
    const snapshot = ops.map((o) => ({ ...o }));
    this.current = this.mutex.run(() => this.runSteps(steps, ops));
    return snapshot;
  }

  /** Resolves once the running request's operations are done. */
  idle(): Promise<void> {
    return this.current;
  }

  /** Ends every hold of delayMs now (the sandbox is stopping). */
  cutDelays(): void {
    this.delayAbort.abort();
    this.delayAbort = new AbortController();
  }

  private async hold(ms: number): Promise<void> {
    if (ms <= 0) return;
    const signal = this.delayAbort.signal;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
    });
  }

  private async runSteps(steps: StepSpec[], ops: OperationRecord[]): Promise<void> {
    for (let i = 0; i < steps.length; i++) {
      const op = ops[i] as OperationRecord;
      const started = Date.now();
      this.update(op, { status: "running" });
      await this.changed().catch(() => {});
      try {
        await (steps[i] as StepSpec).run();
        await this.hold(this.delayMs - (Date.now() - started));
        this.update(op, { status: "finished" });
      } catch (e) {
        const message = e instanceof LifeboatError || e instanceof Error ? e.message : String(e);
        this.update(op, { status: "failed", error: message, failures_count: 1 });
        for (const rest of ops.slice(i + 1))
          this.update(rest, { status: "failed", error: `not run: operation ${op.id} (${op.action}) failed` });
        await this.changed().catch(() => {});
        return;
      }
      await this.changed().catch(() => {});
    }
  }

  private update(op: OperationRecord, patch: Partial<OperationRecord>): void {
    const now = new Date();
    Object.assign(op, patch, {
      updated_at: now.toISOString(),
      total_duration_ms: now.getTime() - new Date(op.created_at).getTime(),
    });
  }

  /** After a restart, operations that were under way when the process died can never finish. */
  static failInterrupted(records: OperationRecord[]): void {
    for (const op of records) {
      if (op.status === "scheduling" || op.status === "running")
        Object.assign(op, {
          status: "failed",
          error: "the sandbox stopped while this operation ran",
          failures_count: 1,
          updated_at: new Date().toISOString(),
        });
    }
  }
}
