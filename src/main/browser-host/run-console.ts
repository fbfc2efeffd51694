// `lifeboat console`: start the browser host, print its URL, open the default browser, and serve until stopped.
import { startBrowserHost, type BrowserHost } from "./start-browser-host.ts";

export interface RunConsoleOptions {
  configPath: string;
  env: NodeJS.ProcessEnv;
  open: boolean;
  port?: number;
  say: (line: string) => void;
  /** Resolves when the console should stop (Ctrl-C). */
  until: Promise<void>;
  /** Called once the host answers: tests use it to reach the running host. */
  onReady?: (host: BrowserHost) => void;
}

export async function runConsole(o: RunConsoleOptions): Promise<void> {
  const host = await startBrowserHost({ configPath: o.configPath, env: o.env, ...(o.port ? { port: o.port } : {}), log: o.say });
  try {
    o.say(`Lifeboat console: ${host.url}`);
    o.say("Serving on 127.0.0.1 only. The link carries a one-time session token: do not share it. Ctrl-C stops the console.");
    if (o.open) {
      try {
        const { default: open } = await import("open");
        await open(host.url);
      } catch {
        o.say("Could not open a browser here; open the link above yourself.");
      }
    }
    o.onReady?.(host);
    await o.until;
  } finally {
    await host.close();
  }
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}
