// The browser-mode bridge: the same LifeboatBridge over the loopback host. The token arrives once in the URL
// fragment (never sent to a server, never in a cookie), is kept in sessionStorage, and travels as a header. Progress
// comes as Server-Sent Events read with fetch, because EventSource cannot send the header.
import type { ErrorInfo } from "../../../shared/errors.ts";
import type { ApiResult } from "../../../shared/api/api-result.ts";
import type { ChannelName, RequestOf, ResultOf } from "../../../shared/api/channels.ts";
import {
  EVENTS_PATH,
  INVOKE_PATH,
  ProgressEvent,
  TOKEN_HEADER,
  type LifeboatBridge,
} from "../../../shared/api/bridge.ts";

export interface HttpBridgeOptions {
  token: string;
  /** Default "" (same origin). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

const clientError = (message: string, hint?: string): ApiResult<never> => ({
  ok: false,
  error: { code: "INTERNAL", message, ...(hint ? { hint } : {}) } satisfies ErrorInfo,
});

/** Reads `#token=…` from a location hash: what `lifeboat console` puts in the URL it opens. */
export function tokenFromHash(hash: string): string | undefined {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]{16,})/.exec(hash);
  return m?.[1];
}

export function createHttpBridge(opts: HttpBridgeOptions): LifeboatBridge & { close(): void } {
  const base = opts.baseUrl ?? "";
  const doFetch = opts.fetch ?? fetch.bind(globalThis);
  const listeners = new Set<(e: ProgressEvent) => void>();
  let stream: AbortController | undefined;

  async function readEvents(signal: AbortSignal): Promise<void> {
    const res = await doFetch(`${base}${EVENTS_PATH}`, {
      headers: { [TOKEN_HEADER]: opts.token, accept: "text/event-stream" },
      signal,
    });
    if (!res.ok || !res.body) throw new Error(`progress stream refused (${res.status})`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let cut: number;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const data = frame
          .split("\n")
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).trimStart())
          .join("\n");
        if (!data) continue;
        const parsed = ProgressEvent.safeParse(JSON.parse(data));
        if (parsed.success) for (const l of listeners) l(parsed.data);
      }
    }
  }

  function startStream(): void {
    if (stream) return;
    const ctrl = new AbortController();
    stream = ctrl;
    const loop = async (): Promise<void> => {
      while (!ctrl.signal.aborted) {
        try {
          await readEvents(ctrl.signal);
        } catch {
          // The host went away or restarted: retry quietly; invoke() reports the outage.
        }
        if (!ctrl.signal.aborted) await new Promise((r) => setTimeout(r, 1000));
      }
    };
    void loop();
  }

  return {
    async invoke<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<ApiResult<ResultOf<C>>> {
      let res: Response;
      try {
        res = await doFetch(`${base}${INVOKE_PATH}`, {
          method: "POST",
          headers: { [TOKEN_HEADER]: opts.token, "content-type": "application/json" },
          body: JSON.stringify({ channel, payload }),
        });
      } catch {
        return clientError(
          "The Lifeboat console host is not answering.",
          "Is `lifeboat console` still running? Start it again and reload this page.",
        );
      }
      if (res.status === 401)
        return clientError(
          "This page's session token was refused.",
          "Open the URL printed by `lifeboat console` again (it carries a fresh token).",
        );
      try {
        return (await res.json()) as ApiResult<ResultOf<C>>;
      } catch {
        return clientError(`The console host answered ${res.status} without a result.`);
      }
    },
    onProgress(listener) {
      listeners.add(listener);
      startStream();
      return () => {
        listeners.delete(listener);
        if (!listeners.size) {
          stream?.abort();
          stream = undefined;
        }
      };
    },
    close() {
      listeners.clear();
      stream?.abort();
      stream = undefined;
    },
  };
}
