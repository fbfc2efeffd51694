// `lifeboat console --sandbox` in the test's process (runConsole, the function behind the command) on a sandbox folder
// of the test's own: `use` gets the running host and a bridge to its engine; the console stops when `use` returns.
import assert from "node:assert/strict";
import type { BrowserHost } from "../../src/main/browser-host/start-browser-host.ts";
import { runConsole } from "../../src/main/console/run-console.ts";
import { createHttpBridge } from "../../src/renderer/src/api/http-bridge.ts";

export type Bridge = ReturnType<typeof createHttpBridge>;

export async function withPracticeConsole(
  opts: { sandboxDir: string; lines: string[]; configPath?: string },
  use: (bridge: Bridge, host: BrowserHost) => Promise<void>,
): Promise<void> {
  let stop!: () => void;
  const until = new Promise<void>((r) => (stop = r));
  let ready!: (h: BrowserHost) => void;
  const hostReady = new Promise<BrowserHost>((r) => (ready = r));
  const running = runConsole({
    ...(opts.configPath ? { configPath: opts.configPath } : {}),
    env: process.env,
    open: false,
    sandbox: true,
    sandboxDir: opts.sandboxDir,
    say: (l) => opts.lines.push(l),
    until,
    onReady: ready,
  });
  running.catch(() => undefined);
  const host = await Promise.race([
    hostReady,
    running.then(() => assert.fail(`stopped early: ${opts.lines.join("\n")}`)),
  ]);
  try {
    await use(createHttpBridge({ token: host.token, baseUrl: host.origin }), host);
  } finally {
    stop();
    await running;
  }
}
