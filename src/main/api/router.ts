// The engine's one API entry point, shared by every face (the CLI, the browser host, the Electron shell): validate the
// payload against the channel map, run the handler, shape and redact the result, and turn any failure into ErrorInfo.
// A payload from a window is untrusted: one that fails its schema never reaches a handler.
import { randomUUID } from "node:crypto";
import type { Writable } from "node:stream";
import { fail, ok, type ApiResult } from "../../shared/api/api-result.ts";
import type { ProgressEvent } from "../../shared/api/bridge.ts";
import { CHANNELS, isChannelName, isLongChannel, type ChannelName, type ResultOf } from "../../shared/api/channels.ts";
import { isLifeboatError } from "../../shared/errors.ts";
import { cancelReason } from "../engine/run-scope.ts";
import { redactDeep, rememberSecret } from "../secrets/redact.ts";
import type { ApiDeps, HandlerContext } from "./api-deps.ts";
import { describeIssues, toErrorInfo } from "../engine/error-info.ts";
import { handlerContext } from "./handler-context.ts";
import { HANDLER_MODULES, prefixOf } from "./handlers/handler-modules.ts";
import type { Handler, Handlers } from "./handler-types.ts";
import { ManifestCache } from "../storage/manifest-cache.ts";
import { sessionJournal } from "./session-journal.ts";

export interface InvokeOptions {
  onProgress?: (event: ProgressEvent) => void;
  /** Aborts this call's operation (the CLI's Ctrl-C); the call then fails with the operation's own error. */
  signal?: AbortSignal;
  /** Lines for a terminal between progress updates (Neon's retries and waits); never secrets. */
  onNote?: (text: string) => void;
  /** Where a channel may stream bytes (journal.export's "stream" destination): the terminal's stdout. */
  output?: Writable;
  /**
   * Where a channel hands a secret the operator asked to see (neon.recoverTo showUri, a sandbox key made just now).
   * Only a terminal passes one; a call without it is refused such secrets. Never redacted, never journaled.
   */
  reveal?: (name: string, value: string) => void;
}

export interface ApiRouter {
  /** The payload is untrusted (it is validated here), so it is typed unknown; the result is typed by the channel. */
  invoke<C extends ChannelName>(channel: C, payload: unknown, opts?: InvokeOptions): Promise<ApiResult<ResultOf<C>>>;
  invoke(channel: unknown, payload: unknown, opts?: InvokeOptions): Promise<ApiResult<unknown>>;
  /** Long operations running now, by operationId. */
  running(): string[];
}

type AnyHandler = (r: unknown, c: HandlerContext) => Promise<unknown>;

/** `overrides` replaces some handlers (tests); every other channel's handler is loaded on first use. */
export function createApiRouter(deps: ApiDeps, overrides: Partial<Handlers> = {}): ApiRouter {
  const running = new Map<string, AbortController>();
  const manifests = new ManifestCache();
  const journal = sessionJournal(deps);
  // The OS keychain's native module loads with the first secret, not with every router.
  const secret =
    deps.resolveSecret ?? (async (ref: string) => (await import("../secrets/resolve.ts")).resolveSecret(ref, deps.env));
  // operations.cancel needs the router's own table of running operations, so it is answered here.
  const own: Partial<Handlers> = {
    "operations.cancel": async ({ operationId }) => {
      const op = running.get(operationId);
      op?.abort(cancelReason("the operator, from the console"));
      return { cancelled: !!op };
    },
  };

  async function handlerFor(channel: ChannelName): Promise<AnyHandler> {
    const chosen = own[channel] ?? overrides[channel];
    if (chosen) return chosen as AnyHandler;
    const group = (await HANDLER_MODULES[prefixOf(channel)]()) as Partial<Record<ChannelName, Handler<ChannelName>>>;
    return group[channel] as AnyHandler;
  }

  async function invoke(channel: unknown, payload: unknown, opts: InvokeOptions = {}): Promise<ApiResult<unknown>> {
    if (!isChannelName(channel)) {
      return fail({
        code: "USAGE",
        message: `Unknown API channel ${JSON.stringify(String(channel).slice(0, 80))}.`,
        hint: "The console and the engine are from different versions; restart the console.",
      });
    }
    const spec = CHANNELS[channel];
    // No payload at all is an empty request; null, a string or an array is a malformed one.
    const parsed = spec.request.safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      return fail({
        code: "USAGE",
        message: `Invalid request for ${channel}: ${describeIssues(parsed.error)}.`,
        hint: "The request was refused before anything ran.",
      });
    }
    const req = parsed.data as Record<string, unknown> & { operationId?: string };
    for (const field of spec.secretFields ?? []) {
      const v = req[field];
      if (typeof v === "string") rememberSecret(v);
    }
    const operationId = req.operationId ?? `op-${randomUUID()}`;
    const long = isLongChannel(channel);
    if (long && running.has(operationId)) {
      return fail({
        code: "USAGE",
        message: `Operation ${operationId} is already running.`,
        hint: "Give each long operation its own operationId.",
      });
    }
    const abort = new AbortController();
    const forward = (): void => abort.abort(opts.signal?.reason);
    if (opts.signal?.aborted) forward();
    opts.signal?.addEventListener("abort", forward, { once: true });
    if (long) running.set(operationId, abort);
    try {
      const handler = await handlerFor(channel);
      const value = await handler(
        parsed.data,
        handlerContext(deps, journal, manifests, secret, {
          channel,
          operationId,
          signal: abort.signal,
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          ...(opts.onNote ? { onNote: opts.onNote } : {}),
          ...(opts.output ? { output: opts.output } : {}),
          ...(opts.reveal ? { reveal: opts.reveal } : {}),
        }),
      );
      const shaped = spec.result.safeParse(value);
      if (!shaped.success) {
        console.error(`lifeboat api: ${channel} returned a result outside its schema: ${describeIssues(shaped.error)}`);
        return fail({
          code: "INTERNAL",
          message: `The engine's answer to ${channel} did not match the API contract (${describeIssues(shaped.error, 2)}).`,
          hint: "This is a bug in Lifeboat; the console and engine may be out of step.",
        });
      }
      // Only a channel that exists to reveal a secret the operator asked for skips redaction (neon.connectionString).
      return ok(spec.revealsSecret ? shaped.data : redactDeep(shaped.data));
    } catch (e) {
      if (!isLifeboatError(e)) deps.onUnexpectedError?.(e, channel);
      return fail(toErrorInfo(e));
    } finally {
      opts.signal?.removeEventListener("abort", forward);
      if (long) running.delete(operationId);
    }
  }

  return { invoke: invoke as ApiRouter["invoke"], running: () => [...running.keys()] };
}
