// Ctrl-C and SIGTERM in the CLI process. While a long operation runs (a backup, a restore, a verify, the demo), the
// first signal stops it cleanly through its AbortSignal: children ended, the upload aborted, staging dropped,
// temporary files removed, the journal record closed as "cancelled"; the command then exits 130 (143 for SIGTERM).
// A second signal, or one when nothing long is running, quits at once: children killed, temporary files removed
// (plaintext first), nothing else waited for.
import type { Writable } from "node:stream";
import { EXIT_CODES } from "../../shared/errors.ts";
import { cancelReason } from "../engine/run-scope.ts";
import { killAllChildren } from "../process/child.ts";
import { removeTempsSync } from "../process/temp-files.ts";

const controller = new AbortController();
let active = 0;
let stoppedBy: NodeJS.Signals | undefined;
let installed = false;

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/** The signal every operation of this process is handed. */
export const interruptSignal: AbortSignal = controller.signal;

/** Runs `fn` as a long operation: a signal meanwhile stops it cleanly instead of ending the process. */
export async function whileLong<T>(fn: () => Promise<T>): Promise<T> {
  active++;
  try {
    return await fn();
  } finally {
    active--;
  }
}

/** The exit code for a command that ended with `code`: a cancel by SIGTERM reports 143, as shells do. */
export function exitCodeAfterSignals(code: number): number {
  if (code === EXIT_CODES.CANCELLED && stoppedBy === "SIGTERM") return 143;
  return code;
}

function quitNow(signal: NodeJS.Signals): never {
  killAllChildren();
  removeTempsSync();
  process.exit(SIGNAL_EXIT[signal] ?? 1);
}

/** Installs the handlers once, for the real process (tests run the CLI in-process and never get here). */
export function installInterrupts(stderr: Writable): void {
  if (installed) return;
  installed = true;
  const on = (signal: NodeJS.Signals): void => {
    // A command that serves until stopped (the console, the sandbox) stops itself on the signal: its call.
    if (active === 0 && !stoppedBy && process.listenerCount(signal) > 1) return;
    if (stoppedBy || active === 0) quitNow(signal);
    stoppedBy = signal;
    const who = signal === "SIGINT" ? "Ctrl-C" : signal;
    stderr.write(
      `\n${who}: stopping cleanly (ending child processes, aborting the upload, removing temporary files)… ${signal === "SIGINT" ? "Ctrl-C again quits at once" : "a second signal quits at once"}\n`,
    );
    controller.abort(cancelReason(signal === "SIGINT" ? "Ctrl-C (SIGINT)" : signal));
  };
  process.on("SIGINT", on);
  process.on("SIGTERM", on);
  process.on("exit", () => removeTempsSync());
}
