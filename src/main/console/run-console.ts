// `lifeboat console` in the browser: open a session (on the practice world with --sandbox), serve it with the
// browser host, print its URL, open the default browser, and serve until stopped.
import { startBrowserHost, type BrowserHost } from "../browser-host/start-browser-host.ts";
import { readyPracticeWorld } from "../practice/first-practice-backup.ts";
import { startPracticeWorld, type PracticeWorld } from "../practice/practice-world.ts";
import { openSession } from "../session/open-session.ts";

export interface RunConsoleOptions {
  /** --config; not used with `sandbox`, whose practice world has its own. */
  configPath?: string;
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
  /** Calls `print` whenever the operator asks for a new session link (Enter on a terminal); returns how to stop. */
  newLinkOnEnter?: (print: () => void) => () => void;
}

/** On a terminal, each Enter asks for a new one-time session link. */
export function enterOnTerminal(
  stdin: NodeJS.ReadStream = process.stdin,
): ((print: () => void) => () => void) | undefined {
  if (!stdin.isTTY) return undefined;
  return (print) => {
    const onData = (chunk: Buffer) => {
      if (chunk.includes(13) || chunk.includes(10)) print();
    };
    stdin.on("data", onData);
    stdin.resume();
    return () => {
      stdin.off("data", onData);
      stdin.pause();
    };
  };
}

export async function runConsole(o: RunConsoleOptions): Promise<void> {
  const practice: PracticeWorld | undefined = o.sandbox
    ? await startPracticeWorld({ env: o.env, say: o.say, ...(o.sandboxDir ? { sandboxDir: o.sandboxDir } : {}) })
    : undefined;
  const session = await openSession(
    practice
      ? { face: "browser", sandbox: true, sandboxDir: practice.sandboxDir, env: practice.env }
      : { face: "browser", env: o.env, ...(o.configPath ? { configPath: o.configPath } : {}) },
  );
  let host: BrowserHost | undefined;
  try {
    host = await startBrowserHost({ session, ...(o.port ? { port: o.port } : {}), log: o.say });
    if (practice) await readyPracticeWorld(practice, session.router, o.say);
    if (practice)
      o.say(
        `Practice world: ${practice.sandboxDir} (yours alone; a terminal works in it with: LIFEBOAT_SANDBOX_DIR=${practice.sandboxDir} lifeboat --sandbox …)`,
      );
    o.say(`Lifeboat console: ${host.url}`);
    o.say(
      "Serving on 127.0.0.1 only. The link is a one-time session link: opening it signs that browser tab in, and it opens nothing after that. " +
        (o.newLinkOnEnter ? "Press Enter here for a new link. " : "") +
        "Ctrl-C stops the console.",
    );
    const stopLinks = o.newLinkOnEnter?.(() => o.say(`New session link: ${host!.newLink()}`));
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
    stopLinks?.();
  } finally {
    await host?.close();
    await session.close();
    if (practice) {
      o.say("Stopping the sandbox (archiving WAL, stopping computes)…");
      await practice.stop();
    }
  }
}
