import type { Readable, Writable } from "node:stream";

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** stdout is a terminal: draw progress and colors. */
  isTTY: boolean;
  /** stdin is a terminal: prompts are possible. */
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /**
   * Aborts the running operation: handed to every invoke. Nothing sets it yet; signal handling (SIGINT → abort, then
   * a second Ctrl-C to quit) is built on this hook.
   */
  signal?: AbortSignal;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: !!process.stderr.isTTY,
    stdinIsTTY: !!process.stdin.isTTY,
    env: process.env,
  };
}
