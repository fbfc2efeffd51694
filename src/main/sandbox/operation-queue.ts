import { LifeboatError } from "../../shared/errors.ts";
import type { ActiveFault } from "./faults.ts";
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

export interface StartOptions {
  /** Puts the request's records back as they were when one of its operations fails (idempotent). */
  onFailure?: () => Promise<void>;
  /** An injected operation fault (faults.ts). */
  fault?: ActiveFault;
}

const RETRY_PAUSE_MS = 300;

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
    return (
      this.reserved ||
      this.records.some((o) => o.status === "scheduling" || o.status === "running" || o.status === "error")
    );
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
  start(steps: StepSpec[], release: () => void, opts: StartOptions = {}): OperationRecord[] {
    const ops = this.record(steps);
    release();
    const snapshot = ops.map((o) => ({ ...o }));
    this.current = this.mutex.run(() => this.runSteps(steps, ops, opts));
    return snapshot;
  }

  /**
   * Operations Neon runs on its own rather than for a request (a compute woken by a connection): recorded and run
   * in turn with the others, but not holding the project's lock. Resolves true when every step finished.
   */
  background(steps: StepSpec[], opts: StartOptions = {}): Promise<boolean> {
    const ops = this.record(steps);
    const done = this.mutex.run(() => this.runSteps(steps, ops, opts));
    this.current = this.current.then(() => done);
    return done.then(() => ops.every((o) => o.status === "finished"));
  }

  private record(steps: StepSpec[]): OperationRecord[] {
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
    return ops;
  }

  /** Resolves once the running request's operations are done. */
  idle(): Promise<void> {
    return this.current;
  }

  /** Ends every hold of delayMs now, and fails operations held stuck by a fault (the sandbox is stopping). */
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

  /** Until cutDelays(): an operation stuck by a fault. */
  private stuck(): Promise<void> {
    const signal = this.delayAbort.signal;
    return new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  }

  private async runStep(step: StepSpec, op: OperationRecord, first: boolean, fault?: ActiveFault): Promise<void> {
    if (first && fault?.kind === "operation-retried") {
      // As Neon does: the attempt fails, the operation shows status "error" with its count, and is tried again.
      for (let n = 1; n <= (fault.failures ?? 1); n++) {
        this.update(op, {
          status: "error",
          failures_count: n,
          error: fault.message ?? "the attempt failed (injected by the Lifeboat sandbox); retrying",
          retry_at: new Date().toISOString(),
        });
        await this.changed().catch(() => {});
        await this.hold(RETRY_PAUSE_MS);
        this.update(op, { status: "running" });
      }
    }
    if (first && fault?.kind === "operation-failed")
      throw new Error("the operation failed (injected by the Lifeboat sandbox)");
    if (first && fault?.kind === "operation-stuck") {
      await this.stuck();
      throw new Error("the operation never finished (injected by the Lifeboat sandbox)");
    }
    await step.run();
  }

  private async runSteps(steps: StepSpec[], ops: OperationRecord[], opts: StartOptions): Promise<void> {
    for (let i = 0; i < steps.length; i++) {
      const op = ops[i] as OperationRecord;
      const started = Date.now();
      this.update(op, { status: "running" });
      await this.changed().catch(() => {});
      try {
        await this.runStep(steps[i] as StepSpec, op, i === 0, opts.fault);
        await this.hold(this.delayMs - (Date.now() - started));
        this.update(op, { status: "finished" });
      } catch (e) {
        const message = e instanceof LifeboatError || e instanceof Error ? e.message : String(e);
        this.update(op, { status: "failed", error: message, failures_count: op.failures_count + 1 });
        for (const rest of ops.slice(i + 1))
          this.update(rest, { status: "failed", error: `not run: operation ${op.id} (${op.action}) failed` });
        await opts.onFailure?.().catch(() => {});
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
      if (op.status === "scheduling" || op.status === "running" || op.status === "error")
        Object.assign(op, {
          status: "failed",
          error: "the sandbox stopped while this operation ran",
          failures_count: 1,
          updated_at: new Date().toISOString(),
        });
    }
  }
}
