import type { Readable, Writable } from "node:stream";
import { installInterrupts, interruptSignal } from "./interrupts.ts";

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** stdout is a terminal: draw progress and colors. */
  isTTY: boolean;
  /** stdin is a terminal: prompts are possible. */
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Aborts the running operation: handed to every invoke. In the real process, Ctrl-C and SIGTERM (interrupts.ts). */
  signal?: AbortSignal;
}

export function processIo(): CliIo {
  installInterrupts(process.stderr);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: !!process.stderr.isTTY,
    stdinIsTTY: !!process.stdin.isTTY,
    env: process.env,
    signal: interruptSignal,
  };
}
