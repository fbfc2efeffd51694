// The engine's one API entry point, shared by the Electron shell and the browser host: validate the payload against the
// channel map, run the handler, shape and redact the result, and turn any failure into ErrorInfo. The renderer is
// untrusted: a payload that fails its schema never reaches a handler.
import { randomUUID } from "node:crypto";
import { fail, ok, type ApiResult } from "../../shared/api/api-result.ts";
import type { ProgressEvent } from "../../shared/api/bridge.ts";
import { CHANNELS, isChannelName, isLongChannel, type ChannelName, type ResultOf } from "../../shared/api/channels.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { getProfile, loadConfig } from "../config/config-store.ts";
import { profileStore } from "../engine/profile-runtime.ts";
import { resolveSecret } from "../secrets/resolve.ts";
import { redactDeep } from "../secrets/redact.ts";
import type { ApiDeps, HandlerContext } from "./api-deps.ts";
import { describeIssues, toErrorInfo } from "./error-info.ts";
import { allHandlers } from "./handlers/all-handlers.ts";
import type { Handlers } from "./handler-types.ts";
import { ManifestCache } from "./manifest-cache.ts";

export interface InvokeOptions {
  onProgress?: (event: ProgressEvent) => void;
}

export interface ApiRouter {
  /** The payload is untrusted (it is validated here), so it is typed unknown; the result is typed by the channel. */
  invoke<C extends ChannelName>(channel: C, payload: unknown, opts?: InvokeOptions): Promise<ApiResult<ResultOf<C>>>;
  invoke(channel: unknown, payload: unknown, opts?: InvokeOptions): Promise<ApiResult<unknown>>;
  /** Long operations running now, by operationId. */
  running(): string[];
}

export function createApiRouter(deps: ApiDeps, handlers: Handlers = allHandlers): ApiRouter {
  const running = new Map<string, AbortController>();
  const manifests = new ManifestCache();
  // operations.cancel needs the router's own table of running operations, so it is answered here.
  const table: Handlers = {
    ...handlers,
    "operations.cancel": async ({ operationId }) => {
      const op = running.get(operationId);
      op?.abort(new LifeboatError("USAGE", "The operation was cancelled by the operator."));
      return { cancelled: !!op };
    },
  };
  const secret = deps.resolveSecret ?? ((ref: string) => resolveSecret(ref, deps.env));

  function context(
    channel: ChannelName,
    operationId: string,
    signal: AbortSignal,
    opts: InvokeOptions,
  ): HandlerContext {
    const now = deps.now ?? (() => new Date());
    const ctx: HandlerContext = {
      deps,
      channel,
      operationId,
      journal: deps.journal,
      now,
      config: () => loadConfig(deps.configPath),
      profile: async (name) => getProfile(await loadConfig(deps.configPath), name),
      engine: () => ({
        resolveSecret: secret,
        journal: deps.journal,
        env: deps.env,
        signal,
        ...(deps.tmpDir ? { tmpDir: deps.tmpDir } : {}),
        ...(opts.onProgress
          ? { onProgress: (progress) => opts.onProgress!(redactDeep({ operationId, channel, progress })) }
          : {}),
      }),
      store: async (profile) => manifests.wrap(await profileStore(profile, { resolveSecret: secret })),
    };
    return ctx;
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
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      return fail({
        code: "USAGE",
        message: `Invalid request for ${channel}: ${describeIssues(parsed.error)}.`,
        hint: "The request was refused before anything ran.",
      });
    }
    const req = parsed.data as { operationId?: string };
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
    if (long) running.set(operationId, abort);
    try {
      const handler = table[channel] as (r: unknown, c: HandlerContext) => Promise<unknown>;
      const value = await handler(parsed.data, context(channel, operationId, abort.signal, opts));
      const shaped = spec.result.safeParse(value);
      if (!shaped.success) {
        console.error(`lifeboat api: ${channel} returned a result outside its schema: ${describeIssues(shaped.error)}`);
        return fail({
          code: "INTERNAL",
          message: `The engine's answer to ${channel} did not match the API contract (${describeIssues(shaped.error, 2)}).`,
          hint: "This is a bug in Lifeboat; the console and engine may be out of step.",
        });
      }
      return ok(redactDeep(shaped.data));
    } catch (e) {
      return fail(toErrorInfo(e));
    } finally {
      if (long) running.delete(operationId);
    }
  }

  return { invoke: invoke as ApiRouter["invoke"], running: () => [...running.keys()] };
}
