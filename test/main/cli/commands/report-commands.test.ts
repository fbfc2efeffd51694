// lifeboat report compliance|verify and lifeboat runbooks export as the README shows them, through the real CLI entry
// (parse argv, invoke the channel, print), over a generated year of evidence in a folder store.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../../../harness/cli.ts";
import { generateYear, type Year } from "../../compliance/year-of-evidence.ts";

let dir: string;
let year: Year;
let env: NodeJS.ProcessEnv;
const cli = (...args: string[]) => runCli(["--config", join(dir, "config.json"), ...args], { env });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-report-cli-"));
  year = await generateYear(dir, {
    profile: "clinic",
    year: 2025,
    skipDays: [40],
    manualDays: [],
    failQuarter: 3,
    expiredLockMonth: 2,
  });
  await writeFile(join(dir, "config.json"), JSON.stringify({ version: 1, profiles: [year.profile] }), { mode: 0o600 });
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    LIFEBOAT_JOURNAL_DIR: year.journalDir,
    LIFEBOAT_SANDBOX_DIR: join(dir, "sandbox"),
    LIFEBOAT_EXPORTS_DIR: join(dir, "exports"),
  };
});
after(() => rm(dir, { recursive: true, force: true }));

describe("lifeboat report and lifeboat runbooks", () => {
  test("an unknown control set and --out without --format are usage errors (exit 2)", async () => {
    const a = await cli("report", "compliance", "--controls", "sox");
    assert.equal(a.code, 2, a.stderr);
    const b = await cli("report", "compliance", "--out", "x.md");
    assert.equal(b.code, 2, b.stderr);
    assert.match(b.stderr, /--out needs --format/);
  });

  test("report verify on a file that is not a report exits 6 with what is wrong", async () => {
    await writeFile(join(dir, "junk.json"), '{"format":');
    const r = await cli("report", "verify", join(dir, "junk.json"));
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stdout, /FAILED verification/);
  });

  test("report compliance prints each verdict and exits 11 for its FAIL items; --format json writes a report that report verify accepts", async () => {
    const args = ["--from", year.from, "--to", year.to, "--practice-journal", year.practiceDir];
    const shown = await cli("report", "compliance", ...args);
    assert.equal(shown.code, 11, shown.stderr);
    assert.match(shown.stdout, /: \d+ PASS, [1-9]\d* FAIL, \d+ NOT EVIDENCED/);
    assert.match(shown.stdout, /FAIL +Daily automated backups +clinic/);
    assert.match(shown.stdout, /PASS +Encrypted backup storage +clinic/);
    const out = join(dir, "report.json");
    const written = await cli("report", "compliance", ...args, "--format", "json", "--out", out);
    assert.equal(written.code, 11, written.stderr);
    assert.match(written.stdout, /anyone can check it: lifeboat report verify/);
    const verified = await cli("report", "verify", out);
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /^report intact: \d+ journal records/);
    const md = await cli("report", "compliance", ...args, "--format", "md", "--out", "-");
    assert.equal(md.code, 11, md.stderr);
    assert.match(md.stdout, /NOT EVIDENCED/);
    const text = await readFile(out, "utf8");
    await writeFile(out, text.replace('"verdict": "FAIL"', '"verdict": "PASS"'));
    const tampered = await cli("report", "verify", out);
    assert.equal(tampered.code, 6);
    assert.match(tampered.stdout, /verdict-mismatch/);
  });

  test("the README's two commands, run as written in a folder: the report (exit 11, it has FAIL items) and its check", async () => {
    const readme = await readFile(new URL("../../../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Proving it to an auditor"));
    const lines = /```sh\n([\s\S]*?)\n```/.exec(section)![1]!.split("\n");
    assert.deepEqual(
      lines.map((l) => l.split(" ").slice(0, 3).join(" ")),
      ["lifeboat report compliance", "lifeboat report verify"],
    );
    const here = process.cwd();
    process.chdir(await mkdtemp(join(dir, "readme-")));
    try {
      const [made, checked] = [
        await cli(...lines[0]!.split(" ").slice(1)),
        await cli(...lines[1]!.split(" ").slice(1)),
      ];
      assert.equal(made.code, 11, made.stderr);
      assert.match(made.stdout, /^wrote .*\/report\.json\n/);
      assert.equal(checked.code, 0, checked.stdout);
      assert.match(checked.stdout, /^report intact: .* all \d+ verdicts derived again from the evidence/);
    } finally {
      process.chdir(here);
    }
  });

  test("report compliance reads each replica's store through the profile (a folder replica: reachable, holding none)", async () => {
    const config = join(dir, "with-replica.json");
    const profile = {
      ...year.profile,
      replicas: [{ name: "offsite", storage: { kind: "folder", path: year.replicaDir } }],
    };
    await writeFile(config, JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
    const r = await runCli(
      ["--config", config, "--json", "report", "compliance", "--from", year.from, "--to", year.to],
      {
        env,
      },
    );
    assert.equal(r.code, 11, r.stderr);
    const geo = (r.json!.value.items as { control: string; tables: { rows: string[][] }[]; unseen: string[] }[]).find(
      (i) => i.control === "geographic-redundancy",
    )!;
    assert.deepEqual(geo.unseen, []);
    assert.deepEqual(
      geo.tables[0]!.rows.map((row) => [row[0], row[3], row[4]]),
      [
        ["primary", "yes", "20"],
        ["offsite", "yes", "0"],
      ],
    );
  });

  test("runbooks export writes each runbook's document and journals its version", async () => {
    const r = await cli("runbooks", "export", "scenario-1-data-corruption", "--out", join(dir, "binder"));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /scenario-1-data-corruption +1\.\d/);
    const doc = await readFile(
      join(dir, "binder", "lifeboat-runbook-scenario-1-data-corruption-v1.0.md"),
      "utf8",
    ).catch(() => "");
    assert.match(doc, /Manual equivalent/);
  });
});
