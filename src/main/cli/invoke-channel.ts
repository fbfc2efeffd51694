// The one way a CLI command does work: build the request from argv, invoke the channel on the session's router (the
// same router the console uses), print the ApiResult (--json prints it as it is), and exit with the code of its error.
// A command file holds only its options, its request and its human text.
import type { Writable } from "node:stream";
import type { ApiResult } from "../../shared/api/api-result.ts";
import { isLongChannel, type ChannelName, type RequestOf, type ResultOf } from "../../shared/api/channels.ts";
import { exitCodeFor, type ErrorInfo } from "../../shared/errors.ts";
import type { CliContext, SessionOverrides } from "./cli-context.ts";
import { redactDeep } from "../secrets/redact.ts";
import { printErrorInfo, printResult } from "./output.ts";
import { progressPrinter } from "./progress-bar.ts";
import { whileLong } from "./interrupts.ts";

export interface InvokeCliOptions<C extends ChannelName> {
  /** A non-zero exit code for a result that is not a failure of the call, e.g. a check that found problems. */
  exitCode?: (value: ResultOf<C>) => number;
  /** A session other than the run's own (e.g. read-only on a copied journal). */
  session?: SessionOverrides;
  /** Where the channel may stream bytes (journal export to stdout). */
  output?: Writable;
  /** What --json prints as the value, where a command printed part of the answer before it went through the router. */
  jsonValue?: (value: ResultOf<C>) => unknown;
  /** The operation's notes go to stdout as its own story (demo, sandbox), not to stderr beside a progress bar. */
  notes?: "stdout";
  /** Receives a secret the operator asked to see (a URI, a key made just now); only a terminal passes this. */
  reveal?: (name: string, value: string) => void;
}

async function invoke<C extends ChannelName>(
  ctx: CliContext,
  channel: C,
  request: RequestOf<C>,
  opts: InvokeCliOptions<C>,
): Promise<ApiResult<ResultOf<C>>> {
  const session = await ctx.session(opts.session);
  const bar = progressPrinter(ctx.io, ctx.progress && isLongChannel(channel));
  const note = opts.notes === "stdout" ? (t: string) => bar.note(t, ctx.io.stdout, "") : (t: string) => bar.note(t);
  const call = () =>
    session.invoke(channel, request, {
      onProgress: (e) => bar.onProgress(e.progress),
      ...(ctx.json ? {} : { onNote: note }),
      ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
      ...(opts.output ? { output: opts.output } : {}),
      ...(opts.reveal ? { reveal: opts.reveal } : {}),
    });
  try {
    // While a long operation runs, Ctrl-C stops it cleanly instead of ending the process (interrupts.ts).
    return await (isLongChannel(channel) ? whileLong(call) : call());
  } finally {
    bar.done();
  }
}

/** A failure reported the way a failed call is: on stderr (or as --json), with the exit code of its error code. */
export function reportError(ctx: CliContext, error: ErrorInfo): void {
  printErrorInfo(ctx.io, ctx, error);
  ctx.exitCode = exitCodeFor(error.code);
}

/** Invokes `channel` and prints its answer; returns the value (undefined when the call failed and was reported). */
export async function invokeAndPrint<C extends ChannelName>(
  ctx: CliContext,
  channel: C,
  request: RequestOf<C>,
  human: (value: ResultOf<C>) => string,
  opts: InvokeCliOptions<C> = {},
): Promise<ResultOf<C> | undefined> {
  const r = await invoke(ctx, channel, request, opts);
  if (!r.ok) return (reportError(ctx, r.error), undefined);
  if (ctx.json && opts.jsonValue) printResult(ctx.io, ctx, opts.jsonValue(r.value), () => "");
  else printResult(ctx.io, ctx, r.value, human);
  ctx.exitCode = opts.exitCode?.(r.value) ?? ctx.exitCode;
  return r.value;
}

/** Invokes without printing the answer (a check before a prompt); a failure is reported as usual. */
export async function invokeQuietly<C extends ChannelName>(
  ctx: CliContext,
  channel: C,
  request: RequestOf<C>,
): Promise<ResultOf<C> | undefined> {
  const r = await invoke(ctx, channel, request, {});
  if (!r.ok) return (reportError(ctx, r.error), undefined);
  return r.value;
}

/**
 * For a secret the operator asked to see (neon recover-to --show-uri): printed as `connectionUri` after the answer on
 * stdout, past the redaction every other output goes through. It never reaches the journal or stderr.
 */
export async function invokeRevealing<C extends ChannelName>(
  ctx: CliContext,
  channel: C,
  request: RequestOf<C>,
  human: (value: ResultOf<C>) => string,
): Promise<void> {
  const shown: Record<string, string> = {};
  const r = await invoke(ctx, channel, request, { reveal: (name, value) => (shown[name] = value) });
  if (!r.ok) return reportError(ctx, r.error);
  if (ctx.json) {
    const value = { ...redactDeep(r.value as object), ...shown };
    ctx.io.stdout.write(`${JSON.stringify({ ok: true, value }, null, 2)}\n`);
    return;
  }
  printResult(ctx.io, ctx, r.value, human);
  for (const value of Object.values(shown)) ctx.io.stdout.write(`${value}\n`);
}
