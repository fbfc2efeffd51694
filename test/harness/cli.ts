// Runs the real CLI entry (main) in-process with captured streams, as a user's shell would see it.
import { PassThrough, Readable } from "node:stream";
import { main } from "../../src/main/cli/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed stdout when --json was given. */
  json: { ok: boolean; value?: any; error?: { code: string; message: string; hint?: string } } | undefined;
}

export async function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; stdin?: string; tty?: boolean; signal?: AbortSignal } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const code = await main(args, {
    stdout,
    stderr,
    stdin: Readable.from(opts.stdin !== undefined ? [Buffer.from(opts.stdin)] : []),
    isTTY: !!opts.tty,
    stdinIsTTY: false,
    env: opts.env ?? process.env,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  let json: CliRun["json"];
  if (args.includes("--json")) {
    try {
      json = JSON.parse(out);
    } catch {
      json = undefined;
    }
  }
  return { code, stdout: out, stderr: err, json };
}
