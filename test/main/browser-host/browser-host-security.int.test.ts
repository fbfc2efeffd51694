import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { createApiRouter } from "../../../src/main/api/router.ts";
import { startBrowserHost, type BrowserHost } from "../../../src/main/browser-host/start-browser-host.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { createHttpBridge } from "../../../src/renderer/src/api/http-bridge.ts";
import type { ProgressEvent } from "../../../src/shared/api/bridge.ts";

let dir: string;
let journal: OpenJournal;
let host: BrowserHost;
let handlerCalls = 0;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(opts: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  port?: number;
  address?: string;
}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: opts.address ?? "127.0.0.1",
        port: opts.port ?? host.port,
        method: opts.method ?? "GET",
        path: opts.path ?? "/",
        headers: { host: `127.0.0.1:${host.port}`, ...opts.headers },
        setHost: false,
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

const invoke = (channel: string, payload: unknown, headers: Record<string, string> = {}) =>
  raw({
    method: "POST",
    path: "/api/invoke",
    headers: { "content-type": "application/json", "x-lifeboat-token": host.token, ...headers },
    body: JSON.stringify({ channel, payload }),
  });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-host-"));
  await mkdir(join(dir, "renderer", "assets"), { recursive: true });
  await writeFile(
    join(dir, "renderer", "index.html"),
    "<!doctype html><title>Lifeboat</title><script type=module src=./assets/app.js></script>",
  );
  await writeFile(join(dir, "renderer", "assets", "app.js"), "console.log(1)");
  await writeFile(join(dir, "secret.txt"), "outside the renderer folder");
  journal = await openJournal({ dir: join(dir, "journal") });
  const router = createApiRouter(
    { configPath: join(dir, "config.json"), journal, env: {}, shell: "browser" },
    {
      "backups.run": async (_req, ctx) => {
        handlerCalls++;
        const progress = ctx.engine().onProgress!;
        progress({ operation: "backup", phase: "dump", bytes: 1, totalBytes: 2 });
        progress({ operation: "backup", phase: "manifest", bytes: 2, totalBytes: 2 });
        throw new Error("test handler stops here");
      },
    },
  );
  host = await startBrowserHost({ router, rendererDir: join(dir, "renderer"), build: false });
});
after(async () => {
  await host?.close();
  await journal?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the session token", () => {
  test("is 32 random bytes, never in a URL: the printed link carries a one-time code in its fragment", () => {
    assert.equal(Buffer.from(host.token, "base64url").length, 32);
    assert.match(host.url, new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/#link=[A-Za-z0-9_-]{32}$`));
    assert.ok(!host.url.includes(host.token));
  });
  test("the session link works once: a second use (another browser, a leaked link) is refused and says how to get one", async () => {
    const code = new URL(host.url).hash.slice("#link=".length);
    const exchange = (link?: string, method = "POST") =>
      raw({ method, path: "/api/session", headers: link ? { "x-lifeboat-link": link } : {} });
    assert.equal((await exchange(code, "GET")).status, 401, "only POST exchanges");
    const first = await exchange(code);
    assert.equal(first.status, 200);
    assert.equal(JSON.parse(first.body).value.token, host.token);
    const again = await exchange(code);
    assert.equal(again.status, 401);
    assert.match(JSON.parse(again.body).error.message, /already used .*press Enter in the terminal/);
    assert.equal((await exchange()).status, 401);
    const fresh = new URL(host.newLink()).hash.slice("#link=".length);
    assert.notEqual(fresh, code);
    assert.equal((await exchange(fresh)).status, 200);
    assert.equal((await exchange(fresh)).status, 401);
    // A link code is not a token: it opens nothing but the exchange.
    const asToken = await invoke("app.info", {}, { "x-lifeboat-token": fresh });
    assert.equal(asToken.status, 401);
  });
  test("an API request without it, or with a wrong one, is refused with 401", async () => {
    const variants: Record<string, string>[] = [
      {},
      { "x-lifeboat-token": "" },
      { "x-lifeboat-token": host.token.slice(0, -1) + (host.token.endsWith("A") ? "B" : "A") },
      { authorization: `Bearer ${host.token}` },
    ];
    for (const headers of variants) {
      const r = await raw({
        method: "POST",
        path: "/api/invoke",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ channel: "app.info", payload: {} }),
      });
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.doesNotMatch(r.body, /journalDir/);
    }
    assert.equal((await raw({ path: "/api/events" })).status, 401);
  });
  test("with it, the API answers, uncached", async () => {
    const r = await invoke("app.info", {});
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).value.shell, "browser");
    assert.equal(r.headers["cache-control"], "no-store");
    assert.equal(r.headers["x-content-type-options"], "nosniff");
  });
});

describe("DNS rebinding and cross-site requests", () => {
  test("a wrong Host is refused, even with the token", async () => {
    for (const h of [
      "evil.example",
      `evil.example:${host.port}`,
      `127.0.0.1:${host.port + 1}`,
      `localhost.evil.example:${host.port}`,
      "",
    ]) {
      const r = await invoke("app.info", {}, { host: h });
      assert.equal(r.status, 421, h);
      assert.equal((await raw({ path: "/", headers: { host: h } })).status, 421, `static ${h}`);
    }
    assert.equal((await invoke("app.info", {}, { host: `localhost:${host.port}` })).status, 200);
  });
  test("a foreign Origin or a cross-site fetch is refused with 403; our own Origin is fine", async () => {
    assert.equal((await invoke("app.info", {}, { origin: "http://evil.example" })).status, 403);
    assert.equal((await invoke("app.info", {}, { origin: `http://127.0.0.1:${host.port + 1}` })).status, 403);
    assert.equal((await invoke("app.info", {}, { origin: "null" })).status, 403);
    assert.equal((await invoke("app.info", {}, { "sec-fetch-site": "cross-site" })).status, 403);
    assert.equal((await invoke("app.info", {}, { origin: `http://127.0.0.1:${host.port}` })).status, 200);
    assert.equal(
      (await invoke("app.info", {}, { origin: `http://localhost:${host.port}`, "sec-fetch-site": "same-origin" }))
        .status,
      200,
    );
  });
  test("only JSON is accepted (no form posts)", async () => {
    const r = await raw({
      method: "POST",
      path: "/api/invoke",
      headers: { "content-type": "text/plain", "x-lifeboat-token": host.token },
      body: JSON.stringify({ channel: "app.info", payload: {} }),
    });
    assert.equal(r.status, 415);
  });
});

describe("payload validation over HTTP", () => {
  test("a payload failing its schema is refused and its handler is not called", async () => {
    const before = handlerCalls;
    for (const payload of [
      { profile: "" },
      { profile: "x", extra: true },
      { profile: 42 },
      { profile: "x", operationId: "../../" },
    ]) {
      const r = await invoke("backups.run", payload);
      const body = JSON.parse(r.body);
      assert.equal(body.ok, false);
      assert.equal(body.error.code, "USAGE");
    }
    const unknown = JSON.parse((await invoke("shell.exec", { cmd: "id" })).body);
    assert.equal(unknown.error.code, "USAGE");
    assert.equal(
      JSON.parse(
        (
          await raw({
            method: "POST",
            path: "/api/invoke",
            headers: { "content-type": "application/json", "x-lifeboat-token": host.token },
            body: "{not json",
          })
        ).body,
      ).error.code,
      "USAGE",
    );
    assert.equal(handlerCalls, before);
  });
});

describe("static files", () => {
  test("the renderer is served with a strict CSP; the page itself is never cached", async () => {
    const r = await raw({ path: "/" });
    assert.equal(r.status, 200);
    assert.match(r.body, /<title>Lifeboat/);
    const csp = String(r.headers["content-security-policy"]);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.equal(r.headers["cache-control"], "no-store");
    assert.equal(r.headers["x-frame-options"], "DENY");
    const js = await raw({ path: "/assets/app.js" });
    assert.equal(js.status, 200);
    assert.match(String(js.headers["content-type"]), /javascript/);
  });
  test("paths cannot escape the renderer folder", async () => {
    for (const p of [
      "/../secret.txt",
      "/..%2fsecret.txt",
      "/%2e%2e/secret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "/%00",
    ]) {
      const r = await raw({ path: p });
      assert.doesNotMatch(r.body, /outside the renderer folder/, p);
    }
  });
});

describe("loopback only", () => {
  test("the port is closed on every non-loopback address", async (t) => {
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    if (!addresses.length) {
      t.diagnostic(
        "no non-loopback address on this machine; checked that the host never listens on a wildcard instead",
      );
    }
    for (const address of addresses) {
      const outcome = await new Promise<string>((resolve) => {
        const s = connect({ host: address, port: host.port, timeout: 2000 });
        s.on("connect", () => (s.destroy(), resolve("connected")));
        s.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
        s.on("timeout", () => (s.destroy(), resolve("timeout")));
      });
      assert.notEqual(outcome, "connected", `reachable on ${address}`);
    }
    const wildcard = await new Promise<string>((resolve) => {
      const s = connect({ host: "127.0.0.2", port: host.port, timeout: 2000 });
      s.on("connect", () => (s.destroy(), resolve("connected")));
      s.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
    });
    assert.notEqual(
      wildcard,
      "connected",
      "a socket bound to 127.0.0.1 (not 0.0.0.0 or all of 127/8) refuses 127.0.0.2",
    );
  });
});

describe("progress as Server-Sent Events", () => {
  test("the browser bridge receives a long operation's progress, tagged with its operationId", async () => {
    const bridge = createHttpBridge({ token: host.token, baseUrl: host.origin });
    const events: ProgressEvent[] = [];
    const got = new Promise<void>((resolve) =>
      bridge.onProgress((e) => {
        events.push(e);
        if (e.progress.phase === "manifest") resolve();
      }),
    );
    // Wait until the stream is attached before starting the operation.
    for (let i = 0; i < 200 && host.progressListeners() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(host.progressListeners(), 1);
    const r = await bridge.invoke("backups.run", { profile: "clinic", operationId: "sse-op-1" });
    assert.equal(r.ok, false);
    await got;
    assert.deepEqual(
      events.map((e) => [e.operationId, e.channel, e.progress.phase]),
      [
        ["sse-op-1", "backups.run", "dump"],
        ["sse-op-1", "backups.run", "manifest"],
      ],
    );
    bridge.close();
    const refused = await createHttpBridge({ token: "wrong-token-wrong-token", baseUrl: host.origin }).invoke(
      "app.info",
      {},
    );
    assert.equal(!refused.ok && /session was refused/.test(refused.error.message), true);
  });
});
