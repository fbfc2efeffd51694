import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../../src/main/storage/open-store.ts";
import { FolderStore } from "../../../src/main/storage/folder-store.ts";
import { S3Store } from "../../../src/main/storage/s3-store.ts";
import { forgetAllSecrets, redactText } from "../../../src/main/secrets/redact.ts";
import { StorageConfig } from "../../../src/shared/config.ts";
import { isLifeboatError } from "../../../src/shared/errors.ts";
import { startS3, type S3Harness } from "../../harness/s3.ts";

const BUCKET = "lifeboat-open";

describe("openStore", () => {
  let s3: S3Harness;
  let tmp: string;
  const opened: S3Store[] = [];
  const track = <T>(s: T): T => {
    if (s instanceof S3Store) opened.push(s);
    return s;
  };

  before(async () => {
    s3 = await startS3({ buckets: [BUCKET] });
    tmp = await mkdtemp(join(tmpdir(), "lifeboat-open-"));
  });
  after(async () => {
    for (const s of opened) s.close();
    forgetAllSecrets();
    await s3?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  const noSecrets = async (ref: string): Promise<string> => assert.fail(`resolveSecret(${ref}) should not be called`);

  test("a folder config opens a FolderStore", async () => {
    const store = await openStore(StorageConfig.parse({ kind: "folder", path: tmp }), noSecrets);
    assert.ok(store instanceof FolderStore);
    assert.equal(store.description, `folder:${tmp}`);
    await store.check();
  });

  test("S3 credentials come from the secret references, and both values are remembered for redaction", async () => {
    const resolved: string[] = [];
    const secrets: Record<string, string> = {
      "env:LB_TEST_KEY_ID": s3.accessKeyId,
      "keychain:lb-test-secret": "sekret-value-1234",
    };
    const config = StorageConfig.parse({
      kind: "s3",
      bucket: BUCKET,
      prefix: "team/",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: "env:LB_TEST_KEY_ID",
      secretAccessKey: "keychain:lb-test-secret",
    });
    const store = track(
      await openStore(config, async (ref) => {
        resolved.push(ref);
        return secrets[ref]!;
      }),
    );
    assert.ok(store instanceof S3Store);
    assert.deepEqual(resolved.sort(), ["env:LB_TEST_KEY_ID", "keychain:lb-test-secret"]);
    assert.equal(redactText(`key ${s3.accessKeyId} secret sekret-value-1234`), "key [REDACTED] secret [REDACTED]");
    assert.ok(!store.description.includes("sekret") && !store.description.includes(s3.accessKeyId), store.description);
    await store.check();
    await store.putSmall("hello.txt", "hi");
    assert.deepEqual(
      (await store.list("")).map((o) => o.key),
      ["hello.txt"],
    );
    assert.ok(s3.requests.some((r) => r.path === `/${BUCKET}/team/hello.txt`));
  });

  test("the resolved credentials are the ones used: a wrong key id from the reference is refused", async () => {
    const config = StorageConfig.parse({
      kind: "s3",
      bucket: BUCKET,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: "env:A",
      secretAccessKey: "env:B",
    });
    const store = track(
      await openStore(config, async (ref) => (ref === "env:A" ? "AKIANOTKNOWN0000" : "whatever-secret")),
    );
    await assert.rejects(store.check(), (e) => isLifeboatError(e) && e.code === "STORAGE_AUTH");
  });

  test("without references the SDK's default chain is used (AWS_* environment variables)", async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
    try {
      const store = track(
        await openStore(
          StorageConfig.parse({ kind: "s3", bucket: BUCKET, endpoint: s3.endpoint, forcePathStyle: true }),
          noSecrets,
        ),
      );
      await store.check();
      process.env.AWS_ACCESS_KEY_ID = "AKIAFROMENV00000";
      const other = track(
        await openStore(
          StorageConfig.parse({ kind: "s3", bucket: BUCKET, endpoint: s3.endpoint, forcePathStyle: true }),
          noSecrets,
        ),
      );
      await assert.rejects(other.check(), (e) => isLifeboatError(e) && e.code === "STORAGE_AUTH");
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  test("only one of the two references is a configuration error", async () => {
    const config = StorageConfig.parse({ kind: "s3", bucket: BUCKET, accessKeyId: "env:A" });
    await assert.rejects(
      openStore(config, noSecrets),
      (e) => isLifeboatError(e) && e.code === "CONFIG_INVALID" && /secretAccessKey/.test(e.message),
    );
  });
});
