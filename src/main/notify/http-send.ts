// The one way monitoring talks to the outside: a POST with a time limit, whose failure is a value, not an exception.
// Heartbeats and webhooks must never fail the backup they report on; the caller journals what went wrong.

export interface SendResult {
  ok: boolean;
  status?: number;
  /** Why it failed, without the URL (it is a secret: a ping URL lets anyone report a success). */
  error?: string;
  durationMs: number;
}

export async function httpSend(
  url: string,
  body: string,
  contentType: string,
  opts: { timeoutMs?: number; tries?: number; retryDelayMs?: number } = {},
): Promise<SendResult> {
  const tries = opts.tries ?? 2;
  const t0 = performance.now();
  let last: SendResult = { ok: false, error: "not sent", durationMs: 0 };
  for (let i = 0; i < tries; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 1000));
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": contentType, "user-agent": "lifeboat" },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      last = {
        ok: res.ok,
        status: res.status,
        ...(res.ok ? {} : { error: `HTTP ${res.status} ${res.statusText}`.trim() }),
        durationMs: Math.round(performance.now() - t0),
      };
      // A 4xx will not change on a second try (wrong URL, check deleted).
      if (res.ok || (res.status >= 400 && res.status < 500)) return last;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why =
        err.name === "TimeoutError"
          ? `no answer within ${Math.round((opts.timeoutMs ?? 10_000) / 1000)} s`
          : (err.cause?.code ?? err.cause?.message ?? err.message);
      last = { ok: false, error: why, durationMs: Math.round(performance.now() - t0) };
    }
  }
  return last;
}
