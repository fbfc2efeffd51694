import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { FolderStore } from "../../../src/main/storage/folder-store.ts";
import { isLifeboatError, type ErrorCode } from "../../../src/shared/errors.ts";

const MIB = 1024 * 1024;

function isCode(code: ErrorCode) {
  return (e: unknown) => {
    assert.ok(isLifeboatError(e), `expected a LifeboatError, got ${String(e)}`);
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    return true;
  };
}

/** Every file under dir, recursively, relative, with "/" separators. */
async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1))
    .sort();
}

describe("FolderStore", () => {
  let tmp: string;
  let root: string;
  let store: FolderStore;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "lifeboat-folder-"));
    root = join(tmp, "usb");
    await mkdir(root);
    store = new FolderStore(root);
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  test("round trip: putStream, head, getStream, getSmall, list, delete", async () => {
    const data = randomBytes(3 * MIB + 17);
    const progress: number[] = [];
    const { bytes } = await store.putStream(
      "backups/2024-01-01/db.dump",
      Readable.from([data.subarray(0, MIB), data.subarray(MIB)]),
      {
        onProgress: (p) => progress.push(p.bytes),
      },
    );
    assert.equal(bytes, data.length);
    assert.equal(progress.at(-1), data.length);
    assert.deepEqual(await store.head("backups/2024-01-01/db.dump"), { bytes: data.length });
    const hash = createHash("sha256");
    for await (const chunk of await store.getStream("backups/2024-01-01/db.dump")) hash.update(chunk as Buffer);
    assert.equal(hash.digest("hex"), createHash("sha256").update(data).digest("hex"));
    assert.ok((await store.getSmall("/backups//2024-01-01/db.dump")).equals(data), "keys are normalized");

    const listed = await store.list("backups/");
    assert.deepEqual(
      listed.map((o) => [o.key, o.bytes]),
      [["backups/2024-01-01/db.dump", data.length]],
    );
    assert.ok(listed[0]!.lastModified instanceof Date);
    await store.delete("backups/2024-01-01/db.dump");
    assert.equal(await store.head("backups/2024-01-01/db.dump"), null);
    await store.delete("backups/2024-01-01/db.dump"); // deleting what is gone is fine
  });

  test("putSmall replaces an object whole", async () => {
    await store.putSmall("m/manifest.json", JSON.stringify({ v: 1 }));
    await store.putSmall("m/manifest.json", JSON.stringify({ v: 2 }));
    assert.deepEqual(JSON.parse((await store.getSmall("m/manifest.json")).toString()), { v: 2 });
    assert.deepEqual(await allFiles(join(root, "m")), ["manifest.json"], "no temporary file left");
  });

  test("while a write is in progress only a .partial file exists, and nothing lists it", async () => {
    const body = new PassThrough();
    const put = store.putStream("slow/obj.bin", body);
    body.write(randomBytes(1024));
    let files: string[] = [];
    for (let i = 0; i < 100 && files.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      files = existsSync(join(root, "slow")) ? await readdir(join(root, "slow")) : [];
    }
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^obj\.bin\.partial-[0-9a-f]+$/);
    assert.deepEqual(await store.list("slow/"), []);
    assert.equal(await store.head("slow/obj.bin"), null);
    body.end(randomBytes(1024));
    assert.deepEqual(await put, { bytes: 2048 });
    assert.deepEqual(await readdir(join(root, "slow")), ["obj.bin"]);
  });

  test("a source stream that fails: the call rejects with its error and no file, partial or final, remains", async () => {
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(MIB);
        yield randomBytes(MIB);
        throw new Error("pg_dump exited with code 1");
      })(),
    );
    await assert.rejects(store.putStream("fail/obj.bin", failing), /pg_dump exited with code 1/);
    assert.deepEqual(await allFiles(join(root, "fail")), []);
    assert.equal(await store.head("fail/obj.bin"), null);
  });

  test("an AbortSignal stops the write and removes the partial file", async () => {
    const body = new PassThrough();
    const ac = new AbortController();
    const put = store.putStream("abort/obj.bin", body, { signal: ac.signal });
    body.write(randomBytes(64 * 1024));
    await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    await assert.rejects(put, (e: Error) => e.name === "AbortError");
    assert.deepEqual(await allFiles(join(root, "abort")), []);
    assert.ok(body.destroyed, "the producer was stopped");
  });

  test("list() matches by string prefix, sorts like S3 and skips temporary files", async () => {
    const s = new FolderStore(await mkdtemp(join(tmp, "list-")));
    for (const k of ["b/2", "a/x/1", "a/x/2", "ab/1", "a/y", "c"]) await s.putSmall(k, "1");
    await writeFile(join(s.root, "a", "x", "3.partial-0123abcd"), "left by a crash");
    assert.deepEqual(
      (await s.list("")).map((o) => o.key),
      ["a/x/1", "a/x/2", "a/y", "ab/1", "b/2", "c"],
    );
    assert.deepEqual(
      (await s.list("a/")).map((o) => o.key),
      ["a/x/1", "a/x/2", "a/y"],
    );
    assert.deepEqual(
      (await s.list("a")).map((o) => o.key),
      ["a/x/1", "a/x/2", "a/y", "ab/1"],
    );
    assert.deepEqual(
      (await s.list("a/x/")).map((o) => o.key),
      ["a/x/1", "a/x/2"],
    );
    assert.deepEqual(await s.list("zzz/"), []);
  });

  test("missing objects: head is null, reads are BACKUP_NOT_FOUND", async () => {
    assert.equal(await store.head("nope/x"), null);
    await assert.rejects(store.getSmall("nope/x"), isCode("BACKUP_NOT_FOUND"));
    await assert.rejects(store.getStream("nope/x"), isCode("BACKUP_NOT_FOUND"));
  });

  test("keys cannot escape the folder", async () => {
    await assert.rejects(store.putSmall("../escaped", "x"), (e) => isLifeboatError(e));
    await assert.rejects(store.putSmall("a/../../escaped", "x"), (e) => isLifeboatError(e));
    assert.equal(existsSync(join(tmp, "escaped")), false);
  });

  test("check() passes on a writable folder and leaves nothing behind", async () => {
    const s = new FolderStore(await mkdtemp(join(tmp, "check-")));
    await s.check();
    assert.deepEqual(await readdir(s.root), []);
  });

  test("a missing folder (drive not mounted) is STORAGE_UNREACHABLE, and is never created", async () => {
    const gone = join(tmp, "media", "usb-not-mounted");
    const s = new FolderStore(gone);
    for (const call of [
      () => s.check(),
      () => s.putSmall("x", "1"),
      () => s.putStream("y", Readable.from([Buffer.from("1")])),
      () => s.list(""),
      () => s.head("x"),
    ]) {
      await assert.rejects(call(), (e) => {
        isCode("STORAGE_UNREACHABLE")(e);
        assert.equal((e as Error).message, `folder ${gone} does not exist — is the drive mounted?`);
        return true;
      });
    }
    assert.equal(existsSync(gone), false, "writing must not create the mount point on the local disk");
  });

  test("a path that is a file is refused clearly", async () => {
    const file = join(tmp, "not-a-folder");
    await writeFile(file, "x");
    await assert.rejects(new FolderStore(file).check(), isCode("STORAGE_ERROR"));
    assert.equal(await readFile(file, "utf8"), "x");
  });
});
