import { test } from "node:test";
import assert from "node:assert/strict";
import { pickBridge, takeCredentials } from "../../../src/renderer/src/api/bridge.ts";

function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
    clear: () => data.clear(),
    key: () => null,
    length: 0,
  } as Storage & { data: Map<string, string> };
}

const TOKEN = "tok_abcdefghijklmnopqrstuvwxyz012345";
const LINK = "lnk_abcdefghijklmnopqrstuvwxyz0123";

test("the one-time link leaves the address bar at once; a reload uses the token kept for this tab", () => {
  const storage = memoryStorage();
  const replaced: string[] = [];
  const creds = takeCredentials({ hash: `#link=${LINK}`, pathname: "/", search: "" }, storage, {
    replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)),
  });
  assert.deepEqual(creds, { link: LINK });
  assert.deepEqual(replaced, ["/"], "the fragment is wiped from the URL and history");
  storage.setItem("lifeboat.session-token", TOKEN);
  assert.deepEqual(takeCredentials({ hash: "", pathname: "/", search: "" }, storage), { token: TOKEN });
  assert.deepEqual(takeCredentials({ hash: "", pathname: "/", search: "" }, memoryStorage()), {});
});

test("the Electron preload's bridge is used as is when present; otherwise the link is exchanged once, then the token travels as a header", async () => {
  const preload = {
    invoke: async () => ({ ok: true as const, value: "from-preload" }),
    onProgress: () => () => undefined,
  };
  const win = { lifeboat: preload } as unknown as Window;
  assert.equal(pickBridge(win), preload);

  const sent: { url: string; headers: Record<string, string> }[] = [];
  const orig = globalThis.fetch;
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, headers: init.headers as Record<string, string> });
    if (url === "/api/session")
      return new Response(JSON.stringify({ ok: true, value: { token: TOKEN } }), { status: 200 });
    return new Response(JSON.stringify({ ok: true, value: { version: "x" } }), { status: 200 });
  }) as typeof fetch;
  try {
    const storage = memoryStorage();
    const browserWin = {
      location: { hash: `#link=${LINK}`, pathname: "/", search: "" },
      sessionStorage: storage,
      history: { replaceState: () => undefined },
    } as unknown as Window;
    const bridge = pickBridge(browserWin);
    assert.deepEqual(await bridge.invoke("app.info", {}), { ok: true, value: { version: "x" } });
    await bridge.invoke("app.info", {});
    assert.deepEqual(
      sent.map((s) => s.url),
      ["/api/session", "/api/invoke", "/api/invoke"],
      "exchanged once",
    );
    assert.equal(sent[0]!.headers["x-lifeboat-link"], LINK);
    assert.equal(sent[1]!.headers["x-lifeboat-token"], TOKEN, "the token travels as a header");
    assert.equal(storage.data.get("lifeboat.session-token"), TOKEN, "kept for a reload of this tab");
    assert.equal(sent[1]!.url.includes(TOKEN), false, "never in the URL");
  } finally {
    globalThis.fetch = orig;
  }
});

test("a used link in a tab without a token says so, and how to get a new one", async () => {
  const orig = globalThis.fetch;
  globalThis.fetch = (async () =>
    new Response(
      JSON.stringify({ ok: false, error: { code: "USAGE", message: "This session link was already used" } }),
      {
        status: 401,
      },
    )) as unknown as typeof fetch;
  try {
    const win = {
      location: { hash: `#link=${LINK}`, pathname: "/", search: "" },
      sessionStorage: memoryStorage(),
      history: { replaceState: () => undefined },
    } as unknown as Window;
    const r = await pickBridge(win).invoke("app.info", {});
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error.message : "", /already used/);
  } finally {
    globalThis.fetch = orig;
  }
});
