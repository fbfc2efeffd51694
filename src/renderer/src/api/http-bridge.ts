// The browser-mode bridge: the same LifeboatBridge over the loopback host. The printed link's fragment carries a
// one-time code (never sent to a server by the browser), exchanged once for the session token; the token is kept in
// sessionStorage (this tab) and travels as a header. Progress comes as Server-Sent Events read with fetch, because
// EventSource cannot send the header.
import type { ErrorInfo } from "../../../shared/errors.ts";
import type { ApiResult } from "../../../shared/api/api-result.ts";
import type { ChannelName, RequestOf, ResultOf } from "../../../shared/api/channels.ts";
import {
  EVENTS_PATH,
  INVOKE_PATH,
  LINK_HEADER,
  ProgressEvent,
  SESSION_PATH,
  TOKEN_HEADER,
  type LifeboatBridge,
} from "../../../shared/api/bridge.ts";

export interface HttpBridgeOptions {
  /** The session token, when this tab already has one (a reload), or a test holds it. */
  token?: string;
  /** A one-time link code, exchanged for the token before the first call. */
  link?: string;
  /** Told of the token a link was exchanged for, to keep it for reloads of this tab. */
  onToken?: (token: string) => void;
  /** Default "" (same origin). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

const clientError = (message: string, hint?: string): ApiResult<never> => ({
  ok: false,
  error: { code: "INTERNAL", message, ...(hint ? { hint } : {}) } satisfies ErrorInfo,
});

/** Reads `#link=…` from a location hash: the one-time code of the link `lifeboat console` prints. */
export function linkFromHash(hash: string): string | undefined {
  const m = /(?:^#|&)link=([A-Za-z0-9_-]{16,})/.exec(hash);
  return m?.[1];
}

type Session = { ok: true; token: string } | { ok: false; result: ApiResult<never> };

export function createHttpBridge(opts: HttpBridgeOptions): LifeboatBridge & { close(): void } {
  const base = opts.baseUrl ?? "";
  const doFetch = opts.fetch ?? fetch.bind(globalThis);
  const listeners = new Set<(e: ProgressEvent) => void>();
  let stream: AbortController | undefined;

  async function exchange(link: string): Promise<Session> {
    let res: Response;
    try {
      res = await doFetch(`${base}${SESSION_PATH}`, { method: "POST", headers: { [LINK_HEADER]: link } });
    } catch {
      return {
        ok: false,
        result: clientError("The Lifeboat console host is not answering.", "Is `lifeboat console` still running?"),
      };
    }
    const body = (await res.json().catch(() => undefined)) as
      { ok: true; value: { token: string } } | { ok: false; error: ErrorInfo } | undefined;
    if (body?.ok) {
      opts.onToken?.(body.value.token);
      return { ok: true, token: body.value.token };
    }
    // A used link in a tab that already holds a token (the link opened again in it) changes nothing.
    if (opts.token) return { ok: true, token: opts.token };
    return {
      ok: false,
      result: {
        ok: false,
        error: body?.error ?? { code: "INTERNAL", message: `The session link was refused (${res.status}).` },
      },
    };
  }

  let sessionP: Promise<Session> | undefined;
  const session = (): Promise<Session> =>
    (sessionP ??= opts.link
      ? exchange(opts.link)
      : Promise.resolve(
          opts.token
            ? { ok: true as const, token: opts.token }
            : {
                ok: false as const,
                result: clientError(
                  "This tab is not signed in to the console.",
                  "Open the session link `lifeboat console` printed (or press Enter there for a new one).",
                ),
              },
        ));

  async function readEvents(signal: AbortSignal): Promise<void> {
    const s = await session();
    if (!s.ok) throw new Error("not signed in");
    const res = await doFetch(`${base}${EVENTS_PATH}`, {
      headers: { [TOKEN_HEADER]: s.token, accept: "text/event-stream" },
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
      const s = await session();
      if (!s.ok) return s.result;
      let res: Response;
      try {
        res = await doFetch(`${base}${INVOKE_PATH}`, {
          method: "POST",
          headers: { [TOKEN_HEADER]: s.token, "content-type": "application/json" },
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
          "This tab's console session was refused (the console was restarted?).",
          "Open a new session link: press Enter in the terminal running `lifeboat console`, or start it again.",
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
