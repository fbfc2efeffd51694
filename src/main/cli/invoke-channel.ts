// The one way a CLI command does work: build the request from argv, invoke the channel on the session's router (the
// same router the console uses), print the ApiResult (--json prints it as it is), and exit with the code of its error.
// A command file holds only its options, its request and its human text.
import type { Writable } from "node:stream";
import type { ApiResult } from "../../shared/api/api-result.ts";
import { isLongChannel, type ChannelName, type RequestOf, type ResultOf } from "../../shared/api/channels.ts";
import { exitCodeFor, type ErrorInfo } from "../../shared/errors.ts";
import type { CliContext, SessionOverrides } from "./cli-context.ts";
import { printErrorInfo, printResult } from "./output.ts";
import { progressPrinter } from "./progress-bar.ts";

export interface InvokeCliOptions<C extends ChannelName> {
  /** A non-zero exit code for a result that is not a failure of the call, e.g. a check that found problems. */
  exitCode?: (value: ResultOf<C>) => number;
  /** A session other than the run's own (e.g. read-only on a copied journal). */
  session?: SessionOverrides;
  /** Where the channel may stream bytes (journal export to stdout). */
  output?: Writable;
  /** What --json prints as the value, where a command printed part of the answer before it went through the router. */
  jsonValue?: (value: ResultOf<C>) => unknown;
}

async function invoke<C extends ChannelName>(
  ctx: CliContext,
  channel: C,
  request: RequestOf<C>,
  opts: InvokeCliOptions<C>,
): Promise<ApiResult<ResultOf<C>>> {
  const session = await ctx.session(opts.session);
  const bar = progressPrinter(ctx.io, ctx.progress && isLongChannel(channel));
  try {
    return await session.invoke(channel, request, {
      onProgress: (e) => bar.onProgress(e.progress),
      ...(ctx.json ? {} : { onNote: (text: string) => bar.note(text) }),
      ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
      ...(opts.output ? { output: opts.output } : {}),
    });
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
