// The README's "From a clone, on your own database" block, taken from the README and run as printed (bash, no
// terminal, from the repository's folder): a local S3 from `lifeboat local-s3`, an age key made with age-keygen for
// env: use, a profile, `profile test`, a backup and a deep verify, against a test cluster standing in for "your
// database". Config and journal go to a temp folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../../src/main/postgres/local-cluster.ts";
import type { LocalCluster } from "../../../src/main/postgres/local-cluster.ts";
import { createClinicalSchema, generateClinicalData } from "../../../src/main/sample/clinical-sample.ts";
import { startCluster } from "../../harness/pg.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const missing = ["age-keygen"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
let cluster: LocalCluster | undefined;
let home: string;

before(async () => {
  if (missing.length) return;
  home = await mkdtemp(join(tmpdir(), "lifeboat-clone-"));
  cluster = await startCluster({ password: "mydb-Pw-4413" });
  await cluster.query("CREATE DATABASE mydb");
  await createClinicalSchema(cluster.conn("mydb"));
  await generateClinicalData(cluster.conn("mydb"), { scale: 1, seed: 3 });
});
after(async () => {
  await cluster?.destroy();
  if (home) await rm(home, { recursive: true, force: true });
});

test("the README's from-a-clone block works as printed", async (t) => {
  if (missing.length) return t.skip(`not installed: ${missing.join(", ")}`);
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## From a clone, on your own database"));
  const script = /```bash\n([\s\S]*?)\n```/.exec(section)![1]!;
  const child = spawn("bash", ["-c", script], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      LIFEBOAT_CONFIG: join(home, "config.json"),
      LIFEBOAT_JOURNAL_DIR: join(home, "journal"),
      S3_PORT: String(await freePort()),
      MYDB_HOST: "127.0.0.1",
      MYDB_PORT: String(cluster!.port),
      MYDB_NAME: "mydb",
      MYDB_USER: cluster!.user,
      MYDB_PASSWORD: "mydb-Pw-4413",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 0, out);
  assert.match(out, /backup \S+ committed/);
  assert.match(out, /deep: restored into a throwaway database/);
  const config = JSON.parse(await readFile(join(home, "config.json"), "utf8"));
  assert.equal(config.profiles[0].encryption.identity, "env:LIFEBOAT_AGE_IDENTITY", "the config holds a reference");
  assert.ok(!JSON.stringify(config).includes("AGE-SECRET-KEY"), "and never the key");
});
