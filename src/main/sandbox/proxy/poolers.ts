// A real PgBouncer (Debian's pgbouncer) in front of each compute, in transaction mode as Neon runs it, started the
// first time a client asks for the pooled endpoint and stopped with its compute. Transaction pooling is why pg_dump
// and session state need the direct endpoint: here that rule is not simulated, it is PgBouncer's own behaviour.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { LifeboatError } from "../../../shared/errors.ts";
import { freePort } from "../../postgres/free-port.ts";
import type { SandboxLayout } from "../sandbox-layout.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pgbouncerBinary(): string | undefined {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin"])
    if (dir && existsSync(join(dir, "pgbouncer"))) return join(dir, "pgbouncer");
  return undefined;
}

interface Running {
  child: ChildProcess;
  port: number;
  computePort: number;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

export class Poolers {
  private readonly running = new Map<string, Running>();
  private readonly starting = new Map<string, Promise<number>>();

  constructor(private readonly layout: SandboxLayout) {}

  private dir(endpointId: string): string {
    return join(this.layout.root, "poolers", endpointId);
  }

  /** The port of the endpoint's PgBouncer, started (or restarted for a moved compute) as needed. */
  ensure(endpointId: string, computePort: number, role: string, password: string): Promise<number> {
    const r = this.running.get(endpointId);
    if (r && r.computePort === computePort && r.child.exitCode === null) return Promise.resolve(r.port);
    const pending = this.starting.get(endpointId);
    if (pending) return pending;
    const p = this.start(endpointId, computePort, role, password).finally(() => this.starting.delete(endpointId));
    this.starting.set(endpointId, p);
    return p;
  }

  private async start(endpointId: string, computePort: number, role: string, password: string): Promise<number> {
    await this.stop(endpointId);
    const bin = pgbouncerBinary();
    if (!bin)
      throw new LifeboatError(
        "TOOLS_MISSING",
        "the sandbox's pooler needs PgBouncer, which is not installed",
        "Install it (Debian: apt-get install pgbouncer), or use the direct (unpooled) endpoint.",
      );
    const dir = this.dir(endpointId);
    // The pooler's own account must pass through the folder above its own (as for the computes' folders).
    await mkdir(join(this.layout.root, "poolers"), { recursive: true, mode: 0o711 });
    await chmod(join(this.layout.root, "poolers"), 0o711);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const port = await freePort();
    const ini = join(dir, "pgbouncer.ini");
    const users = join(dir, "userlist.txt");
    await writeFile(users, `${quote(role)} ${quote(password)}\n`, { mode: 0o600 });
    await writeFile(
      ini,
      [
        "; Written by the Lifeboat sandbox: the pooler of one endpoint, as Neon runs it (transaction mode).",
        "[databases]",
        `* = host=127.0.0.1 port=${computePort}`,
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        `listen_port = ${port}`,
        "unix_socket_dir =",
        "auth_type = scram-sha-256",
        `auth_file = ${users}`,
        "pool_mode = transaction",
        "max_client_conn = 200",
        "default_pool_size = 16",
        "ignore_startup_parameters = extra_float_digits,options",
        `pidfile = ${join(dir, "pgbouncer.pid")}`,
        `logfile = ${join(dir, "pgbouncer.log")}`,
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    const owner = this.layout.owner;
    // PgBouncer will not run as root: it runs as the account the sandbox's PostgreSQL runs as.
    if (owner) for (const f of [dir, ini, users]) await chown(f, owner.uid, owner.gid);
    const child = spawn(bin, [ini], {
      stdio: ["ignore", "ignore", "pipe"],
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
      cwd: dir,
    });
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.on("error", (e) => (stderr += e.message));
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (await portOpen(port)) {
        this.running.set(endpointId, { child, port, computePort });
        return port;
      }
      await sleep(25);
    }
    child.kill("SIGKILL");
    throw new LifeboatError(
      "INTERNAL",
      `PgBouncer did not start for endpoint ${endpointId}: ${stderr.trim().split("\n").slice(-3).join(" | ") || "no output"}`,
      `Read ${join(dir, "pgbouncer.log")}.`,
    );
  }

  async stop(endpointId: string): Promise<void> {
    const r = this.running.get(endpointId);
    this.running.delete(endpointId);
    if (!r || r.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => r.child.once("exit", () => resolve()));
    r.child.kill("SIGTERM");
    await Promise.race([exited, sleep(3000)]);
    if (r.child.exitCode === null) r.child.kill("SIGKILL");
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }
}

/** The process is this pooler's PgBouncer (a pid file can outlive its process, and its number be reused). */
function isOurPgbouncer(pid: number, ini: string): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return cmd.some((a) => a.endsWith("pgbouncer")) && cmd.includes(ini);
  } catch {
    return false;
  }
}

/** Stops PgBouncers a crashed sandbox process left running (their pid files say which), then forgets them. */
export async function killStalePoolers(root: string): Promise<void> {
  const base = join(root, "poolers");
  if (!existsSync(base)) return;
  for (const name of await readdir(base)) {
    const pidFile = join(base, name, "pgbouncer.pid");
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : NaN;
    if (Number.isInteger(pid) && pid > 0 && isOurPgbouncer(pid, join(base, name, "pgbouncer.ini"))) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await rm(join(base, name), { recursive: true, force: true });
  }
}
