// A real S3 server that enforces Object Lock, versioning and lifecycle: Ceph's RADOS Gateway on a one-node cluster
// (one ceph-mon, one ceph-osd, one radosgw) in a temporary folder, started in about 1.5 s.
//
// What matters, measured with radosgw 16.2 (see /work/shared/design/ceph-rgw.md for the full account):
// - auth "none" AND every `ms * mode = crc`: otherwise radosgw insists on cephx secure mode towards the mon and hangs;
// - paxos propose interval 0.05 s: with the default 1 s every pool creation waits a round (13 s start-up, not 1.5 s);
// - ports outside the kernel's ephemeral range (32768-60999), where a TIME_WAIT socket can hold a port: ceph-mon does
//   not exit when it cannot bind (it retries for ~15 s), so its log is watched for "unable to bind";
// - the S3 user is created before radosgw starts (that also creates the zone's pools);
// - stopping is SIGKILL of the recorded PIDs (milliseconds; a graceful radosgw stop takes ~10 s).
//
// Nothing outlives the test process: stop() kills the daemons, a process 'exit' hook kills whatever stop() did not
// reach, and a reaper process (its own session) kills them and removes the folder if the test process itself is
// SIGKILLed before either could run.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from "@aws-sdk/client-s3";

export interface RgwBucketOptions {
  /** Created with Object Lock (which turns versioning on; RGW refuses to suspend it afterwards). */
  objectLock?: boolean;
  /** Versioning on without Object Lock. */
  versioning?: boolean;
  /** A bucket default retention rule (needs objectLock). */
  defaultRetention?: { mode: "COMPLIANCE" | "GOVERNANCE"; days: number };
}

export interface RgwHarness {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  dir: string;
  /** An SDK client with the settings RGW 16 needs (path style, checksums only when required). */
  client(): S3Client;
  createBucket(name: string, opts?: RgwBucketOptions): Promise<void>;
  /** A bucket quota: writes beyond it are refused with QuotaExceeded, as a full store refuses them. */
  setBucketQuota(bucket: string, maxBytes: number): void;
  /** Kills only radosgw: the endpoint refuses connections, as a store that went down does. */
  stopGateway(): Promise<void>;
  stop(): Promise<void>;
}

export interface RgwOptions {
  /** memstore (default) keeps objects in RAM; bluestore writes them to a file in the folder (slower start). */
  objectStore?: "memstore" | "bluestore";
  /** Seconds per lifecycle "day" (rgw lc debug interval). */
  lifecycleDaySeconds?: number;
}

const TOOLS = ["monmaptool", "ceph-mon", "ceph-osd", "ceph", "radosgw", "radosgw-admin"];

/** Why RGW cannot run here, or undefined when it can. For `describe(..., { skip: rgwSkipReason() })`. */
export function rgwSkipReason(): string | undefined {
  if (process.platform !== "linux") return `Ceph RGW runs on Linux only (this is ${process.platform})`;
  const missing = TOOLS.filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
  return missing.length
    ? `${missing.join(", ")} not installed (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common)`
    : undefined;
}

// Every daemon any harness in this process started and has not yet killed: the exit hook's list.
const live = new Set<number>();
process.once("exit", () => {
  for (const pid of live) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** A port below the ephemeral range that nothing listens on right now. */
async function probePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("rgw harness: no free port found in 20000-32000");
}

function cephConf(dir: string, fsid: string, monPort: number, rgwPort: number, o: RgwOptions): string {
  const store =
    o.objectStore === "bluestore"
      ? ["osd objectstore = bluestore", `bluestore block path = ${dir}/osd-block`, "bluestore block size = 4294967296"]
      : ["osd objectstore = memstore", "memstore device bytes = 4294967296"];
  return [
    "[global]",
    `fsid = ${fsid}`,
    `mon host = v2:127.0.0.1:${monPort}`,
    "mon initial members = a",
    "public addr = 127.0.0.1",
    ...["cluster", "service", "client"].map((k) => `auth ${k} required = none`),
    ...["mon client", "mon service", "mon cluster", "service", "client", "cluster"].map((k) => `ms ${k} mode = crc`),
    "osd pool default size = 1",
    "osd pool default min size = 1",
    "osd pool default pg num = 8",
    "osd pool default pgp num = 8",
    "osd pool default pg autoscale mode = off",
    "mon allow pool size one = true",
    "mon max pg per osd = 1000",
    "osd crush chooseleaf type = 0",
    "paxos propose interval = 0.05",
    "paxos min wait = 0.01",
    `run dir = ${dir}/run`,
    `log file = ${dir}/log/$name.log`,
    `admin socket = ${dir}/run/$name.asok`,
    `mon data = ${dir}/mon/$id`,
    `osd data = ${dir}/osd/$id`,
    ...store,
    "[client.rgw]",
    `rgw frontends = beast endpoint=127.0.0.1:${rgwPort}`,
    `rgw data = ${dir}/rgw`,
    `rgw lc debug interval = ${o.lifecycleDaySeconds ?? 10}`,
    "",
  ].join("\n");
}

/** The environment for ceph tools: an exported CEPH_CONF from another cluster confuses monmaptool. */
function toolEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CEPH_CONF;
  delete env.CEPH_ARGS;
  return env;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { env: toolEnv(), encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

async function waitFor(what: string, ms: number, probe: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`rgw harness: ${what} not ready after ${ms} ms`);
}

function logSays(file: string, text: string): boolean {
  return existsSync(file) && readFileSync(file, "utf8").includes(text);
}

/**
 * A reaper in its own session: when the test process disappears (even by SIGKILL) it kills the daemons listed in
 * <dir>/pids and removes the folder. stop() kills the reaper itself once it has cleaned up.
 */
function startReaper(dir: string): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null && [ -d "$1" ]; do sleep 0.5; done
[ -f "$1/pids" ] && kill -9 $(cat "$1/pids") 2>/dev/null; rm -rf "$1"`;
  const reaper = spawn("sh", ["-c", script, "rgw-reaper", dir], { detached: true, stdio: "ignore" });
  reaper.unref();
  return reaper;
}

export async function startRgw(opts: RgwOptions = {}): Promise<RgwHarness> {
  const skip = rgwSkipReason();
  if (skip) throw new Error(`rgw harness: ${skip}`);
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-rgw-"));
  const reaper = startReaper(dir);
  const daemons: ChildProcess[] = [];
  const conf = join(dir, "ceph.conf");
  const accessKeyId = `LBTEST${randomBytes(7).toString("hex").toUpperCase()}`;
  const secretAccessKey = randomBytes(20).toString("base64url");

  const startDaemon = (cmd: string, args: string[], name: string): ChildProcess => {
    const child = spawn(cmd, ["-f", "-c", conf, ...args], {
      detached: true,
      env: toolEnv(),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.once("exit", () => {
      if (child.pid) live.delete(child.pid);
      (child as ChildProcess & { stderrTail?: string }).stderrTail = stderr;
    });
    if (!child.pid) throw new Error(`rgw harness: ${name} did not start`);
    live.add(child.pid);
    appendFileSync(join(dir, "pids"), `${child.pid}\n`);
    daemons.push(child);
    return child;
  };

  const kill = async (child: ChildProcess): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  };

  const stop = async (): Promise<void> => {
    await Promise.all(daemons.map(kill));
    await rm(dir, { recursive: true, force: true });
    try {
      if (reaper.pid) process.kill(-reaper.pid, "SIGKILL");
    } catch {
      // the reaper already saw the folder go
    }
  };

  try {
    await Promise.all(["run", "log", "mon/a", "osd", "rgw"].map((d) => mkdir(join(dir, d), { recursive: true })));
    const fsid = randomUUID();
    let rgwPort = 0;
    let endpoint = "";
    // The mon's port can be taken between the probe and its bind: then it retries silently, so the log is watched.
    for (let attempt = 1; ; attempt++) {
      const monPort = await probePort();
      rgwPort = await probePort();
      endpoint = `http://127.0.0.1:${rgwPort}`;
      await writeFile(conf, cephConf(dir, fsid, monPort, rgwPort, opts));
      await rm(join(dir, "mon/a"), { recursive: true, force: true });
      run("monmaptool", [
        "--create",
        "--clobber",
        "--add",
        "a",
        `v2:127.0.0.1:${monPort}`,
        "--fsid",
        fsid,
        join(dir, "monmap"),
      ]);
      run("ceph-mon", ["--mkfs", "-i", "a", "--monmap", join(dir, "monmap"), "-c", conf]);
      const mon = startDaemon("ceph-mon", ["-i", "a"], "ceph-mon");
      const monLog = join(dir, "log/mon.a.log");
      try {
        await waitFor("ceph-mon", 10_000, () => {
          if (logSays(monLog, "unable to bind")) throw new Error("ceph-mon could not bind its port");
          if (mon.exitCode !== null) throw new Error(`ceph-mon exited: ${readTail(monLog)}`);
          return (
            spawnSync("ceph", ["-c", conf, "--connect-timeout", "2", "mon", "stat"], { env: toolEnv() }).status === 0
          );
        });
        break;
      } catch (e) {
        await kill(mon);
        if (attempt >= 3) throw e;
      }
    }

    const osdUuid = randomUUID();
    const osdId = run("ceph", ["-c", conf, "osd", "new", osdUuid]).trim();
    await mkdir(join(dir, "osd", osdId), { recursive: true });
    run("ceph-osd", ["-c", conf, "-i", osdId, "--mkfs", "--osd-uuid", osdUuid]);
    startDaemon("ceph-osd", ["-i", osdId], "ceph-osd");

    // Creating the user also creates the default zone's pools, which needs the OSD up: radosgw-admin waits for it.
    run("radosgw-admin", [
      "-c",
      conf,
      "user",
      "create",
      "--uid=lifeboat-test",
      "--display-name=lifeboat test",
      `--access-key=${accessKeyId}`,
      `--secret-key=${secretAccessKey}`,
    ]);
    const rgw = startDaemon("radosgw", ["-n", "client.rgw"], "radosgw");
    await waitFor("radosgw", 20_000, async () => {
      if (rgw.exitCode !== null) throw new Error(`radosgw exited: ${readTail(join(dir, "log/client.rgw.log"))}`);
      try {
        return (await fetch(endpoint, { signal: AbortSignal.timeout(1000) })).status === 200;
      } catch {
        return false;
      }
    });

    const clients: S3Client[] = [];
    const client = (): S3Client => {
      const c = new S3Client({
        endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId, secretAccessKey },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      });
      clients.push(c);
      return c;
    };
    const admin = client();
    return {
      endpoint,
      region: "us-east-1",
      accessKeyId,
      secretAccessKey,
      dir,
      client,
      async createBucket(name, b = {}) {
        await admin.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: !!b.objectLock }));
        if (b.versioning && !b.objectLock) {
          await admin.send(
            new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }),
          );
        }
        if (b.defaultRetention) {
          await admin.send(
            new PutObjectLockConfigurationCommand({
              Bucket: name,
              ObjectLockConfiguration: {
                ObjectLockEnabled: "Enabled",
                Rule: { DefaultRetention: { Mode: b.defaultRetention.mode, Days: b.defaultRetention.days } },
              },
            }),
          );
        }
      },
      setBucketQuota(bucket, maxBytes) {
        run("radosgw-admin", [
          "-c",
          conf,
          "quota",
          "set",
          "--quota-scope=bucket",
          `--bucket=${bucket}`,
          `--max-size=${maxBytes}`,
        ]);
        run("radosgw-admin", ["-c", conf, "quota", "enable", "--quota-scope=bucket", `--bucket=${bucket}`]);
      },
      stopGateway: () => kill(rgw),
      async stop() {
        for (const c of clients) c.destroy();
        await stop();
      },
    };
  } catch (e) {
    await stop();
    throw new Error(`rgw harness: start failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function readTail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-5).join(" | ");
  } catch {
    return "(no log)";
  }
}

/**
 * One RGW cluster for the enclosing suite: started in before(), stopped in after() even when tests fail. Returns a
 * getter, since the cluster exists only once before() has run.
 */
export function useRgw(opts: RgwOptions = {}): () => RgwHarness {
  let rgw: RgwHarness | undefined;
  before(async () => {
    rgw = await startRgw(opts);
  });
  after(async () => {
    await rgw?.stop();
  });
  return () => {
    if (!rgw) throw new Error("useRgw: the cluster is not started yet (use it inside a test)");
    return rgw;
  };
}
