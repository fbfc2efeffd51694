import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, mkdtemp, readFile, rm, writeFile, appendFile, readdir } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type pg from "pg";
import { LifeboatError } from "../../shared/errors.ts";
import type { ConnInfo } from "./conn-info.ts";
import { withClient } from "./connect.ts";
import { freePort } from "./free-port.ts";
import { findServerBinDir, serverBinaryVersion } from "./server-binaries.ts";
import { serverOwner, type ServerOwner } from "./server-owner.ts";
import { binDirUsableBy } from "./server-binaries-access.ts";
import { leastEnv } from "../process/child-env.ts";
import { startReaper, type Reaper } from "../process/reaper.ts";

export { findServerBinDir, embeddedPg18BinDir } from "./server-binaries.ts";
export { freePort } from "./free-port.ts";

export interface LocalClusterOptions {
  binDir?: string;
  dataDir?: string;
  port?: number;
  user?: string;
  /** Superuser password; a random one is made when absent, because 127.0.0.1 is reachable by every local account. */
  password?: string;
  /** Extra postgresql.conf settings, e.g. { fsync: "off" } for throwaway test clusters. */
  settings?: Record<string, string>;
  keepDataDir?: boolean;
  /** initdb --wal-segsize (MB, a power of 2). Small segments keep a WAL archive small when segments are switched often. */
  walSegmentSizeMb?: number;
}

const CONF_FILE = "lifeboat.conf";
const LOG_FILE = "lifeboat-server.log";
// sockaddr_un.sun_path is 108 bytes on Linux, 104 on macOS.
const MAX_SOCKET_PATH = 100;

function quoteConf(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

function childEnv(): NodeJS.ProcessEnv {
  // PGDATA, PGPORT etc. from the operator's shell must not redirect initdb or pg_ctl, and the server inherits this
  // environment for its whole life: nothing of Lifeboat's own (secrets for env: references) goes into it.
  return { ...leastEnv(process.env), LC_ALL: "C" };
}

function runBinary(
  binDir: string,
  name: string,
  args: string[],
  owner: ServerOwner | null,
  timeoutMs = 120_000,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      join(binDir, name),
      args,
      {
        env: childEnv(),
        cwd: tmpdir(),
        timeout: timeoutMs,
        maxBuffer: 4 * 1024 * 1024,
        ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
      },
      (err, stdout, stderr) => {
        if (err) reject(Object.assign(err, { stdout: String(stdout), stderr: String(stderr) }));
        else resolvePromise({ stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

function outputOf(err: unknown): string {
  const e = err as { stderr?: string; stdout?: string; message?: string };
  return (e.stderr || e.stdout || e.message || String(err)).trim();
}

/**
 * A PostgreSQL cluster of its own in a folder: initdb, pg_ctl, loopback only, a private socket directory.
 * The demo, the Neon sandbox and the tests use it; it never touches a system cluster.
 */
export class LocalCluster {
  readonly host = "127.0.0.1" as const;
  readonly dataDir: string;
  readonly binDir: string;
  readonly major: number;
  readonly user: string;
  private _port: number;
  private readonly password: string | undefined;
  private readonly removeOnDestroy: string | null;
  private readonly owner: ServerOwner | null;
  private readonly portChosen: boolean;
  private reaper: Reaper | undefined;

  private constructor(init: {
    dataDir: string;
    binDir: string;
    major: number;
    port: number;
    user: string;
    password: string | undefined;
    removeOnDestroy: string | null;
    portChosen: boolean;
  }) {
    this.dataDir = init.dataDir;
    this.binDir = init.binDir;
    this.major = init.major;
    this._port = init.port;
    this.user = init.user;
    this.password = init.password;
    this.removeOnDestroy = init.removeOnDestroy;
    this.portChosen = init.portChosen;
    this.owner = serverOwner();
  }

  get port(): number {
    return this._port;
  }

  static async create(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
    const owner = serverOwner();
    const binDir = await binDirUsableBy(resolve(opts.binDir ?? (await findServerBinDir())), owner);
    const { major } = await serverBinaryVersion(binDir);
    let dataDir: string;
    let removeOnDestroy: string | null;
    if (opts.dataDir) {
      dataDir = resolve(opts.dataDir);
      const existed = existsSync(dataDir);
      if (existed && (await readdir(dataDir)).length > 0) {
        throw new LifeboatError(
          "CONFIG_INVALID",
          `cannot create a cluster in ${dataDir}: the folder is not empty`,
          "Use LocalCluster.attach for an existing cluster, or pick an empty folder.",
        );
      }
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      removeOnDestroy = existed || opts.keepDataDir ? null : dataDir;
    } else {
      const base = await mkdtemp(join(tmpdir(), "lifeboat-pg-"));
      dataDir = join(base, "data");
      await mkdir(dataDir, { mode: 0o700 });
      if (owner) await chown(base, owner.uid, owner.gid);
      removeOnDestroy = opts.keepDataDir ? null : base;
    }
    if (owner) await chown(dataDir, owner.uid, owner.gid);

    const user = opts.user ?? "postgres";
    const password = opts.password ?? randomBytes(18).toString("base64url");
    const cluster = new LocalCluster({
      dataDir,
      binDir,
      major,
      port: opts.port ?? (await freePort()),
      user,
      password,
      removeOnDestroy,
      portChosen: opts.port !== undefined,
    });
    // A throwaway cluster (its folder made here, removed on destroy) is shut down and removed by a reaper if this
    // process dies without destroy() (kill -9): the demo, deep verify and the tests never leave a server running.
    if (removeOnDestroy) {
      cluster.reaper = startReaper({
        postmasterPidFiles: [join(dataDir, "postmaster.pid")],
        remove: [removeOnDestroy],
      });
    }
    try {
      await cluster.initdb(opts.settings ?? {}, opts.walSegmentSizeMb);
      await cluster.writeConf(opts.settings ?? {});
      await cluster.start();
    } catch (err) {
      await cluster.destroy().catch(() => {});
      throw err;
    }
    return cluster;
  }

  /** A cluster whose data directory already exists (the sandbox after a restart). Call start() to run it. */
  static attach(
    dataDir: string,
    binDir: string,
    port: number,
    opts: { user?: string; password?: string; removeOnDestroy?: boolean } = {},
  ): LocalCluster {
    const abs = resolve(dataDir);
    const major = Number(readFileSync(join(abs, "PG_VERSION"), "utf8").trim());
    return new LocalCluster({
      dataDir: abs,
      binDir: resolve(binDir),
      major,
      port,
      user: opts.user ?? "postgres",
      password: opts.password,
      removeOnDestroy: opts.removeOnDestroy ? abs : null,
      portChosen: true,
    });
  }

  /**
   * A data directory copied from elsewhere (a base backup, a restored branch): lifeboat.conf is rewritten for this
   * folder, its own port and `settings`, replacing what the copy carried over. Call start() to run it.
   */
  static async adopt(
    dataDir: string,
    binDir: string,
    opts: { port?: number; user?: string; password?: string; settings?: Record<string, string> } = {},
  ): Promise<LocalCluster> {
    const abs = resolve(dataDir);
    const cluster = new LocalCluster({
      dataDir: abs,
      binDir: resolve(binDir),
      major: Number(readFileSync(join(abs, "PG_VERSION"), "utf8").trim()),
      port: opts.port ?? (await freePort()),
      user: opts.user ?? "postgres",
      password: opts.password,
      removeOnDestroy: null,
      portChosen: opts.port !== undefined,
    });
    await cluster.writeConf(opts.settings ?? {});
    return cluster;
  }

  conn(database = "postgres"): ConnInfo {
    return {
      host: this.host,
      port: this.port,
      database,
      user: this.user,
      ...(this.password !== undefined ? { password: this.password } : {}),
      sslmode: "disable",
    };
  }

  private async initdb(settings: Record<string, string>, walSegmentSizeMb?: number): Promise<void> {
    const pwDir = await mkdtemp(join(tmpdir(), "lifeboat-pw-"));
    const pwFile = join(pwDir, "pw");
    try {
      await writeFile(pwFile, `${this.password ?? ""}\n`, { mode: 0o600 });
      if (this.owner) {
        await chown(pwDir, this.owner.uid, this.owner.gid);
        await chown(pwFile, this.owner.uid, this.owner.gid);
      }
      const args = [
        "-D",
        this.dataDir,
        "-U",
        this.user,
        "-A",
        "scram-sha-256",
        `--pwfile=${pwFile}`,
        "-E",
        "UTF8",
        "--locale=C",
      ];
      // Skipping initdb's final fsync is only acceptable where the caller already gave up durability.
      if (settings.fsync === "off") args.push("--no-sync");
      if (walSegmentSizeMb !== undefined) args.push(`--wal-segsize=${walSegmentSizeMb}`);
      await runBinary(this.binDir, "initdb", args, this.owner);
    } catch (err) {
      throw new LifeboatError(
        "INTERNAL",
        `initdb failed in ${this.dataDir}: ${outputOf(err)}`,
        "Check that the folder is empty and writable, and that the PostgreSQL server binaries work.",
      );
    } finally {
      await rm(pwDir, { recursive: true, force: true });
    }
  }

  private async writeConf(settings: Record<string, string>): Promise<void> {
    const socketOk = join(this.dataDir, `.s.PGSQL.${this.port}`).length <= MAX_SOCKET_PATH;
    const lines = [
      "# Written by Lifeboat: loopback TCP only, and a socket directory nobody else shares.",
      "listen_addresses = '127.0.0.1'",
      `port = ${this.port}`,
      `unix_socket_directories = ${quoteConf(socketOk ? this.dataDir : "")}`,
    ];
    for (const [k, v] of Object.entries(settings)) {
      if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(k))
        throw new LifeboatError("CONFIG_INVALID", `invalid PostgreSQL setting name: ${k}`);
      lines.push(`${k} = ${quoteConf(v)}`);
    }
    await writeFile(join(this.dataDir, CONF_FILE), lines.join("\n") + "\n");
    const main = join(this.dataDir, "postgresql.conf");
    if (!(await readFile(main, "utf8")).includes(`include_if_exists = '${CONF_FILE}'`)) {
      await appendFile(main, `\ninclude_if_exists = '${CONF_FILE}'\n`);
    }
  }

  private isRunning(): boolean {
    return existsSync(join(this.dataDir, "postmaster.pid"));
  }

  async start(): Promise<void> {
    if (this.isRunning()) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await runBinary(
          this.binDir,
          "pg_ctl",
          ["start", "-D", this.dataDir, "-l", join(this.dataDir, LOG_FILE), "-w", "-t", "60", "-o", `-p ${this.port}`],
          this.owner,
        );
        return;
      } catch (err) {
        const log = await this.logTail();
        // freePort() can lose a race with another process; a port we picked ourselves can simply be picked again.
        if (
          !this.portChosen &&
          attempt < 4 &&
          /could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(log)
        ) {
          this._port = await freePort();
          if (existsSync(join(this.dataDir, CONF_FILE))) await this.rewritePort();
          continue;
        }
        throw new LifeboatError(
          "PG_ERROR",
          `local PostgreSQL ${this.major} in ${this.dataDir} did not start on port ${this.port}: ${outputOf(err)}\n${log}`,
          "Read the server log lines above; check free disk space and that no other server uses this data folder.",
        );
      }
    }
  }

  private async rewritePort(): Promise<void> {
    const file = join(this.dataDir, CONF_FILE);
    const text = await readFile(file, "utf8");
    const socketOk = join(this.dataDir, `.s.PGSQL.${this.port}`).length <= MAX_SOCKET_PATH;
    await writeFile(
      file,
      text
        .replace(/^port = \d+$/m, `port = ${this.port}`)
        .replace(
          /^unix_socket_directories = .*$/m,
          `unix_socket_directories = ${quoteConf(socketOk ? this.dataDir : "")}`,
        ),
    );
  }

  async logTail(lines = 20): Promise<string> {
    try {
      return (await readFile(join(this.dataDir, LOG_FILE), "utf8")).trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  }

  async stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
    if (!this.isRunning()) return;
    try {
      await runBinary(this.binDir, "pg_ctl", ["stop", "-D", this.dataDir, "-m", mode, "-w", "-t", "60"], this.owner);
    } catch (err) {
      if (!this.isRunning()) return;
      throw new LifeboatError("PG_ERROR", `could not stop local PostgreSQL in ${this.dataDir}: ${outputOf(err)}`);
    }
  }

  /** Stops the server and, when this object made the folder, removes it. */
  async destroy(): Promise<void> {
    try {
      // Nothing of a folder about to be deleted needs a shutdown checkpoint.
      await this.stop(this.removeOnDestroy ? "immediate" : "fast");
    } finally {
      if (this.removeOnDestroy) await rm(this.removeOnDestroy, { recursive: true, force: true });
      this.reaper?.stop();
    }
  }

  async query(sql: string, params?: unknown[], database?: string): Promise<pg.QueryResult> {
    return withClient(this.conn(database), (c) => c.query(sql, params));
  }
}
