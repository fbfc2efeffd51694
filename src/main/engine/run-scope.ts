// One operation's stop switch. Two things can stop a backup or a restore before it ends by itself: the operator
// (Ctrl-C, SIGTERM, the console's cancel: the outer signal) and a watchdog that found a peer frozen. Both abort the same
// signal, which every child process, upload and download of the operation listens to; what is reported afterwards
// depends on which it was: CANCELLED (journaled as "cancelled", exit 130) or the watchdog's own error.
import { isLifeboatError, LifeboatError } from "../../shared/errors.ts";

/** The reason the CLI and the router abort with; `how` says who stopped it ("Ctrl-C", "SIGTERM", "the console"). */
export function cancelReason(how: string): LifeboatError {
  return new LifeboatError("CANCELLED", `cancelled by ${how}`, undefined, { by: how });
}

function byWhom(reason: unknown): string {
  const by = isLifeboatError(reason) ? reason.details?.by : undefined;
  return typeof by === "string" ? by : "the operator";
}

/** The error an operation reports once it stopped because it was cancelled: what was stopped, and what state is left. */
export function cancelledError(what: string, reason: unknown, state: string): LifeboatError {
  return new LifeboatError(
    "CANCELLED",
    `${what} was cancelled (by ${byWhom(reason)}); ${state}`,
    "Run it again when ready.",
    { by: byWhom(reason) },
  );
}

export class RunScope {
  private readonly controller = new AbortController();
  private failure: unknown;
  private readonly detach: () => void;

  constructor(private readonly outer?: AbortSignal) {
    const onAbort = (): void => this.controller.abort(outer!.reason);
    if (outer?.aborted) onAbort();
    else outer?.addEventListener("abort", onAbort, { once: true });
    this.detach = () => outer?.removeEventListener("abort", onAbort);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelled(): boolean {
    return !!this.outer?.aborted && this.failure === undefined;
  }

  /** Stops the operation because something it depends on failed (a frozen server): that error is what is reported. */
  fail(error: unknown): void {
    if (this.controller.signal.aborted) return;
    this.failure = error;
    this.controller.abort(error);
  }

  /** Throws now if the operation was stopped; for the points between steps. */
  check(what: string, state: string): void {
    if (!this.controller.signal.aborted) return;
    throw this.failure ?? cancelledError(what, this.outer?.reason, state);
  }

  /**
   * What to report for an error the operation threw: once it was stopped, the children, uploads and downloads fail
   * with whatever their teardown looked like (EPIPE, AbortError, "pg_dump exited on SIGTERM"); the stop is the cause.
   */
  explain(e: unknown, what: string, state: string): unknown {
    if (!this.controller.signal.aborted) return e;
    if (this.failure !== undefined) return this.failure;
    return cancelledError(what, this.outer?.reason, state);
  }

  dispose(): void {
    this.detach();
  }
}
