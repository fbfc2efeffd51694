// The one way a CLI command does work: build the request from argv, invoke the channel on the session's router (the
// same router the console uses), print the ApiResult (--json prints it as it is), and exit with the code of its error.
// A command file holds only its options, its request and its human text.
import { isLongChannel, type ChannelName, type RequestOf, type ResultOf } from "../../shared/api/channels.ts";
import { exitCodeFor } from "../../shared/errors.ts";
import type { CliContext, SessionOverrides } from "./cli-context.ts";
import { printApiResult } from "./output.ts";
import { progressPrinter } from "./progress-bar.ts";

export interface InvokeCliOptions<C extends ChannelName> {
  /** A non-zero exit code for a result that is not a failure of the call, e.g. a check that found problems. */
  exitCode?: (value: ResultOf<C>) => number;
  /** A session other than the run's own (e.g. read-only on a copied journal). */
  session?: SessionOverrides;
}

/** Invokes `channel` and prints its answer; returns the value (undefined when the call failed and was reported). */
export async function invokeAndPrint<C extends ChannelName>(
  ctx: CliContext,
  channel: C,
  request: RequestOf<C>,
  human: (value: ResultOf<C>) => string,
  opts: InvokeCliOptions<C> = {},
): Promise<ResultOf<C> | undefined> {
  const session = await ctx.session(opts.session);
  const bar = progressPrinter(ctx.io, ctx.progress && isLongChannel(channel));
  let r;
  try {
    r = await session.invoke(channel, request, {
      onProgress: (e) => bar.onProgress(e.progress),
      ...(ctx.json ? {} : { onNote: (text: string) => bar.note(text) }),
      ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
    });
  } finally {
    bar.done();
  }
  printApiResult(ctx.io, ctx, r, human);
  if (!r.ok) {
    ctx.exitCode = exitCodeFor(r.error.code);
    return undefined;
  }
  ctx.exitCode = opts.exitCode?.(r.value) ?? ctx.exitCode;
  return r.value;
}
