import { readFile } from "node:fs/promises";
import { Transform, type Readable } from "node:stream";
import { LifeboatError } from "../../shared/errors.ts";
import type { Compression } from "../../shared/manifest.ts";
import { zstdCompressArgs, ZSTD_LEVEL } from "../compress/zstd-cli.ts";
import { tableFromVerboseLine } from "../engine/progress-tracker.ts";
import { errorLines, startChild, terminate, type RunningChild } from "../process/child.ts";
import { KEEPALIVE_CONNINFO } from "../postgres/conn-info.ts";
import { CONNECTION_LOST } from "../postgres/connection-lost.ts";

export interface DumpPipeline {
  /** The compressed archive, ready for encryption. */
  output: Readable;
  /** Resolves once every producer exited 0, with the size of the uncompressed archive; rejects otherwise. */
  finished: Promise<{ dumpBytes: number | undefined }>;
  /** Uncompressed bytes written by pg_dump so far, where the OS tells (Linux /proc); else undefined. */
  dumpedBytes(): Promise<number | undefined>;
  kill(): void;
}

export interface DumpOptions {
  pgDump: string;
  zstd: string | null;
  compression: Compression;
  snapshotId: string;
  env: NodeJS.ProcessEnv;
  onTable: (table: string) => void;
  /** Stops both processes (Ctrl-C, the console's cancel, a watchdog). */
  signal?: AbortSignal;
}

/**
 * How long pg_dump waits for a table lock before it gives up. pg_dump takes a share lock on every table it dumps; a
 * migration holding an exclusive lock would otherwise keep it (and the snapshot) waiting without a word.
 */
export const LOCK_WAIT_TIMEOUT = "120s";

function compressionArgs(c: Compression): string[] {
  if (c === "pg_dump-zstd") return [`--compress=zstd:${ZSTD_LEVEL}`];
  if (c === "pg_dump-gzip") return ["--compress=1"];
  return ["--compress=0"];
}

async function procWrittenBytes(pid: number | undefined): Promise<number | undefined> {
  if (!pid || process.platform !== "linux") return undefined;
  try {
    const m = /^wchar:\s*(\d+)$/m.exec(await readFile(`/proc/${pid}/io`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function failure(
  tool: string,
  r: { code: number | null; signal: NodeJS.Signals | null; stderr: string },
  hint: string,
): LifeboatError {
  if (tool === "pg_dump" && CONNECTION_LOST.test(r.stderr)) {
    return new LifeboatError(
      "PG_UNREACHABLE",
      `the database connection was lost during the dump: ${errorLines(r.stderr, 3).join(" | ")}`,
      "Nothing was stored. Check that the server is up and reachable (a restart, a failover, a dropped VPN), then run the backup again.",
      { stderr: errorLines(r.stderr) },
    );
  }
  if (
    tool === "pg_dump" &&
    /could not obtain lock|lock timeout|canceling statement due to lock timeout/i.test(r.stderr)
  ) {
    return new LifeboatError(
      "BACKUP_FAILED",
      `pg_dump waited ${LOCK_WAIT_TIMEOUT} for a table lock and gave up: ${errorLines(r.stderr, 3).join(" | ")}`,
      "Another session holds an exclusive lock (a migration, a VACUUM FULL, an ALTER TABLE). Let it finish, then run the backup again. Nothing was stored.",
      { stderr: errorLines(r.stderr) },
    );
  }
  return new LifeboatError(
    "BACKUP_FAILED",
    `${tool} failed (exit ${r.code ?? r.signal}): ${errorLines(r.stderr, 5).join(" | ")}`,
    hint,
    { stderr: errorLines(r.stderr) },
  );
}

/**
 * pg_dump -Fc inside the exported snapshot, piped straight into zstd through an OS pipe: the uncompressed archive never
 * passes through Node, so the pipeline costs little more CPU than pg_dump and zstd themselves.
 */
export function startDump(o: DumpOptions): DumpPipeline {
  const pgDump: RunningChild = startChild(
    o.pgDump,
    [
      "--format=custom",
      ...compressionArgs(o.compression),
      `--snapshot=${o.snapshotId}`,
      `--lock-wait-timeout=${LOCK_WAIT_TIMEOUT}`,
      "--no-password",
      "--verbose",
      // The database itself comes from PGDATABASE; this adds what the environment cannot carry.
      `--dbname=${KEEPALIVE_CONNINFO}`,
    ],
    {
      env: o.env,
      ...(o.signal ? { signal: o.signal } : {}),
      stdio: ["ignore", "pipe", "pipe"],
      onStderrLine: (line) => {
        const table = tableFromVerboseLine(line);
        if (table) o.onTable(table);
      },
    },
  );
  const pgDumpOk = pgDump.exit.then((r) => {
    if (r.code !== 0) throw failure("pg_dump", r, "Nothing was stored. Fix the cause shown and run the backup again.");
  });
  pgDumpOk.catch(() => undefined);

  if (o.compression !== "zstd") {
    // pg_dump compresses by itself (no zstd program): its already-compressed output is counted in Node.
    let bytes = 0;
    const output = pgDump.child.stdout!.pipe(
      new Transform({
        transform(chunk: Buffer, _e, cb) {
          bytes += chunk.length;
          cb(null, chunk);
        },
      }),
    );
    return {
      output,
      finished: pgDumpOk.then(() => ({ dumpBytes: bytes })),
      dumpedBytes: () => procWrittenBytes(pgDump.child.pid),
      kill: () => terminate(pgDump.child),
    };
  }
  // -vvv makes zstd report the exact byte counts ("(N B => M B"): the archive's own size, without reading it in Node.
  const zstd: RunningChild = startChild(o.zstd!, ["-vvv", ...zstdCompressArgs()], {
    stdio: [pgDump.child.stdout!, "pipe", "pipe"],
    ...(o.signal ? { signal: o.signal } : {}),
  });
  // zstd holds its own copy of the pipe; closing ours lets pg_dump see a broken pipe if zstd dies.
  pgDump.child.stdout!.destroy();
  const finished = Promise.all([
    pgDumpOk,
    zstd.exit.then((r) => {
      if (r.code !== 0) throw failure("zstd", r, "Nothing was stored. Check free memory and the zstd installation.");
      const m = /\((\d+) B => (\d+) B/.exec(r.stderr);
      return m ? Number(m[1]) : undefined;
    }),
  ]).then(([, dumpBytes]) => ({ dumpBytes }));
  finished.catch(() => undefined);
  return {
    output: zstd.child.stdout!,
    finished,
    dumpedBytes: () => procWrittenBytes(pgDump.child.pid),
    kill: () => {
      terminate(pgDump.child);
      terminate(zstd.child);
    },
  };
}
