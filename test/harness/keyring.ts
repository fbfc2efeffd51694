// A real OS keychain for tests: a private D-Bus session bus plus gnome-keyring-daemon serving the Secret Service,
// with HOME and the XDG folders in a temporary directory, so the developer's own keyring is never touched.
//
// What was found by experiment (gnome-keyring 42, dbus 1.14, @napi-rs/keyring 2.1):
// - `gnome-keyring-daemon --unlock` reads the login password from stdin and creates the "login" collection with it,
//   which then becomes the "default" alias the keychain library writes to. An EMPTY password creates nothing: only
//   the in-memory "session" collection exists and every write fails with "no result found". So a fixed, non-empty
//   password is fed in.
// - The bus config has no <servicedir>, so nothing can be D-Bus-activated on it: only the daemon started here answers.
// - libdbus reads DBUS_SESSION_BUS_ADDRESS once per process and @napi-rs/keyring keeps its choice of store for the
//   process, so the variable must be set before the first keychain call in the test process; a test that needs a
//   different bus must use a child process.
// - A locked login collection with no prompter (headless) fails fast with "unlock prompt was dismissed".
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";

const LOGIN_PASSWORD = "lifeboat-test-keyring";

export interface KeyringHarness {
  /** process.env plus the private bus address: for child processes such as `secret-tool`. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

function missingTool(): string | null {
  if (process.platform !== "linux")
    return `the keyring harness runs gnome-keyring, which is Linux only (this is ${process.platform})`;
  for (const tool of ["dbus-daemon", "gnome-keyring-daemon", "dbus-send"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0)
      return `${tool} is not installed (apt-get install dbus gnome-keyring)`;
  }
  return null;
}

function busConfig(socketDir: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${socketDir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

async function firstLine(child: ChildProcess, what: string, timeoutMs = 10_000): Promise<string> {
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} printed nothing in ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${err}`));
    });
  });
}

function dbusCall(env: NodeJS.ProcessEnv, args: string[]): string {
  const r = spawnSync("dbus-send", ["--session", "--print-reply", "--dest=org.freedesktop.secrets", ...args], {
    env,
    encoding: "utf8",
  });
  return r.status === 0 ? r.stdout : "";
}

/** Waits until the login collection is the default and unlocked, i.e. until the keychain library can write. */
async function waitForLoginCollection(env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alias = dbusCall(env, [
      "/org/freedesktop/secrets",
      "org.freedesktop.Secret.Service.ReadAlias",
      "string:default",
    ]);
    if (alias.includes("/org/freedesktop/secrets/collection/login")) {
      const locked = dbusCall(env, [
        "/org/freedesktop/secrets/collection/login",
        "org.freedesktop.DBus.Properties.Get",
        "string:org.freedesktop.Secret.Collection",
        "string:Locked",
      ]);
      if (/boolean false/.test(locked)) return;
    }
    if (Date.now() > deadline)
      throw new Error("gnome-keyring-daemon did not create an unlocked login collection in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

export async function startKeyring(): Promise<KeyringHarness | { skip: string }> {
  const missing = missingTool();
  if (missing) return { skip: missing };

  const root = await mkdtemp(join(tmpdir(), "lifeboat-keyring-"));
  const home = join(root, "home");
  const runtime = join(root, "run");
  await mkdir(home, { mode: 0o700 });
  await mkdir(runtime, { mode: 0o700 });
  await writeFile(join(root, "bus.conf"), busConfig(runtime));

  const children: ChildProcess[] = [];
  // If the test process dies without calling stop(), the daemons must not outlive it.
  const killAll = () => children.forEach((c) => c.kill("SIGKILL"));
  process.once("exit", killAll);
  const previousAddress = process.env.DBUS_SESSION_BUS_ADDRESS;

  const stop = async () => {
    process.removeListener("exit", killAll);
    for (const c of children.reverse()) await stopChild(c);
    if (previousAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = previousAddress;
    await rm(root, { recursive: true, force: true });
  };

  try {
    const bus = spawn("dbus-daemon", [`--config-file=${join(root, "bus.conf")}`, "--nofork", "--print-address=1"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(bus);
    const address = await firstLine(bus, "dbus-daemon");

    const daemonEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: join(home, ".local", "share"),
      XDG_CONFIG_HOME: join(home, ".config"),
      XDG_CACHE_HOME: join(home, ".cache"),
      XDG_RUNTIME_DIR: runtime,
      DBUS_SESSION_BUS_ADDRESS: address,
    };
    const keyring = spawn("gnome-keyring-daemon", ["--foreground", "--unlock", "--components=secrets"], {
      env: daemonEnv,
      stdio: ["pipe", "ignore", "pipe"],
    });
    children.push(keyring);
    let keyringErr = "";
    keyring.stderr!.on("data", (d: Buffer) => (keyringErr = (keyringErr + d.toString()).slice(-4000)));
    keyring.stdin!.end(LOGIN_PASSWORD);

    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address };
    await waitForLoginCollection(env).catch((e: Error) => {
      throw new Error(`${e.message}; gnome-keyring-daemon said: ${keyringErr || "(nothing)"}`);
    });
    process.env.DBUS_SESSION_BUS_ADDRESS = address;
    return { env, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
