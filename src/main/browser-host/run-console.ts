// `lifeboat console`: start the browser host, print its URL, open the default browser, and serve until stopped.
import { firstPracticeBackup, startSandboxConsole, type SandboxConsole } from "./sandbox-console.ts";
import { startBrowserHost, type BrowserHost } from "./start-browser-host.ts";

export interface RunConsoleOptions {
  configPath: string;
  env: NodeJS.ProcessEnv;
  open: boolean;
  port?: number;
  /** Practice on the Neon sandbox with a local S3 and a demo profile, instead of the user's config. */
  sandbox?: boolean;
  sandboxDir?: string;
  say: (line: string) => void;
  /** Resolves when the console should stop (Ctrl-C). */
  until: Promise<void>;
  /** Called once the host answers: tests use it to reach the running host. */
  onReady?: (host: BrowserHost) => void;
}

export async function runConsole(o: RunConsoleOptions): Promise<void> {
  const practice: SandboxConsole | undefined = o.sandbox
    ? await startSandboxConsole({ env: o.env, say: o.say, ...(o.sandboxDir ? { dir: o.sandboxDir } : {}) })
    : undefined;
  let host: BrowserHost | undefined;
  try {
    host = await startBrowserHost({
      ...(practice
        ? {
            configPath: practice.configPath,
            journalDir: practice.journalDir,
            exportsDir: practice.exportsDir,
            env: practice.env,
            sandbox: true,
          }
        : { configPath: o.configPath, env: o.env }),
      ...(o.port ? { port: o.port } : {}),
      log: o.say,
    });
    if (practice) void firstPracticeBackup(host.router, o.say);
    o.say(`Lifeboat console: ${host.url}`);
    o.say(
      "Serving on 127.0.0.1 only. The link carries a one-time session token: do not share it. Ctrl-C stops the console.",
    );
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
    await host?.close();
    if (practice) {
      o.say("Stopping the sandbox (archiving WAL, stopping computes)…");
      await practice.stop();
    }
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
