// Stale locks are taken over at once, whatever shape a crash left them in; a live one is waited for and then named.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { acquireFileLock, processStart, staleReason } from "../../../src/main/journal/file-lock.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";

const root = mkdtempSync(join(tmpdir(), "lifeboat-lock-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const lockPath = (): string => join(root, `l${++n}.lock`);

async function takesWithin(path: string, ms: number): Promise<void> {
  const t0 = Date.now();
  const lock = await acquireFileLock(path, 10_000);
  assert.ok(Date.now() - t0 < ms, `took ${Date.now() - t0} ms`);
  lock.release();
}

test("an empty lock file (a crash between create and write) is stale at once, not after seconds", async () => {
  const path = lockPath();
  writeFileSync(path, "");
  assert.match(staleReason("")!, /empty or garbled/);
  await takesWithin(path, 500);
});

test("a lock whose pid now belongs to another process (after a reboot) is stale", async (t) => {
  if (process.platform !== "linux") return t.skip("process start times are read from /proc (Linux)");
  // pid 1 is alive, but started long before this "holder" claims to have.
  const path = lockPath();
  writeFileSync(path, `1 ${hostname()} ${Date.now()} start=${Number(processStart(1)) + 12345}\n`);
  assert.match(staleReason(`1 ${hostname()} 0 start=${Number(processStart(1)) + 12345}`)!, /another process/);
  await takesWithin(path, 500);
});

test("a lock of a process that exited is stale; a live one is waited for, then named with its path", async () => {
  const gone = spawnSync("true").pid!;
  const path = lockPath();
  writeFileSync(path, `${gone} ${hostname()} ${Date.now()}\n`);
  await takesWithin(path, 500);
  const held = await acquireFileLock(path);
  await assert.rejects(acquireFileLock(path, 150), (e: LifeboatError) => {
    assert.equal(e.code, "JOURNAL_LOCKED");
    assert.ok(e.message.includes(path), e.message);
    return true;
  });
  held.release();
});

test("the lock appears whole or not at all, and leaves no helper files behind", async () => {
  const path = lockPath();
  const lock = await acquireFileLock(path);
  assert.equal(staleReason(readFileSync(path, "utf8")), undefined, "a fresh lock is live");
  lock.release();
  assert.deepEqual(
    readdirSync(root).filter((f) => f.startsWith(path.slice(root.length + 1))),
    [],
  );
});
