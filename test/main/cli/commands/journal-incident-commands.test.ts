// The journal and incident commands, driven through commander exactly as `lifeboat` parses them.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { Command } from "commander";
import { exitCodeFor, isLifeboatError, EXIT_CODES } from "../../../../src/shared/errors.ts";
import { CliContext, type GlobalOptions } from "../../../../src/main/cli/cli-context.ts";
import { printError } from "../../../../src/main/cli/output.ts";
import { registerJournalCommands } from "../../../../src/main/cli/commands/journal-commands.ts";
import { registerIncidentCommands } from "../../../../src/main/cli/commands/incident-commands.ts";
import { tempJournalDir } from "../../journal/journal-test-dir.ts";

const t = tempJournalDir();
after(t.cleanup);
const env = { ...process.env, LIFEBOAT_JOURNAL_DIR: t.dir, LIFEBOAT_CONFIG: join(t.dir, "..", "no-config.json") };

type Json = any;

async function lifeboat(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: Json }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const io = { stdout, stderr, stdin: Readable.from([]), isTTY: false, stdinIsTTY: false, env };
  const program: Command = new Command("lifeboat")
    .option("--json")
    .option("--config <path>")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => stdout.write(s),
      writeErr: (s) => stderr.write(s),
      outputError: () => undefined,
    });
  const ctx = new CliContext(io, () => program.opts() as GlobalOptions);
  registerJournalCommands(program, ctx);
  registerIncidentCommands(program, ctx);
  let code: number;
  try {
    await program.parseAsync(args, { from: "user" });
    code = ctx.exitCode;
  } catch (e) {
    printError(io, { json: args.includes("--json") }, e);
    code = isLifeboatError(e) ? exitCodeFor(e.code) : EXIT_CODES.USAGE;
  } finally {
    await ctx.close();
  }
  await new Promise((r) => setImmediate(r));
  let json: Json;
  if (args.includes("--json")) json = JSON.parse(out);
  return { code, stdout: out, stderr: err, json };
}

const NOW = Date.now();
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

describe("lifeboat incident / journal commands", () => {
  let id = "";

  test("a note with no incident open is refused with a hint", async () => {
    const r = await lifeboat("incident", "note", "nothing open");
    assert.equal(r.code, EXIT_CODES.USAGE);
    assert.match(r.stderr, /No incident is open/);
    assert.match(r.stderr, /lifeboat incident open/);
  });

  test("incident open", async () => {
    const r = await lifeboat(
      "incident",
      "open",
      "--title",
      "Clinical notes deleted",
      "--severity",
      "sev1",
      "--scenario",
      "data-corruption",
      "--detected-at",
      minutesAgo(20),
      "--contact",
      "Database Admin: Amal <amal@clinic.example>",
      "--json",
    );
    assert.equal(r.code, 0, r.stdout);
    id = r.json.value.id;
    assert.match(id, /^inc-/);
    assert.equal(r.json.value.record.details.severity, "SEV1");
    const again = await lifeboat("incident", "open", "--title", "x", "--severity", "SEV2", "--scenario", "other");
    assert.equal(again.code, EXIT_CODES.REFUSED);
  });

  test("incident note: text, decision, checklist step, RPO inputs, service restored", async () => {
    assert.equal((await lifeboat("incident", "note", "Audit", "log", "shows", "bulk", "DELETE")).code, 0);
    assert.equal((await lifeboat("incident", "note", "--decision", "Recover on a Neon branch")).code, 0);
    const step = await lifeboat("incident", "note", "--step", "1", "--json");
    assert.equal(step.json.value.records[0].details.item, "Verify data integrity");
    assert.equal((await lifeboat("incident", "note", "--step", "smoke")).code, 0);
    const bad = await lifeboat("incident", "note", "--step", "dance");
    assert.equal(bad.code, EXIT_CODES.USAGE);
    assert.match(bad.stderr, /2\. Smoke test all API endpoints/);
    assert.equal(
      (await lifeboat("incident", "note", "--corruption-time", minutesAgo(25), "--recovery-point", minutesAgo(25.5)))
        .code,
      0,
    );
    const restored = await lifeboat("incident", "note", "--restored", "--at", minutesAgo(2), "--json");
    assert.equal(restored.json.value.records[0].kind, "incident.service-restored");
  });

  test("incident detected-at corrects the detection time; the first value stays in the journal", async () => {
    const bad = await lifeboat("incident", "detected-at", "2999-01-01T00:00:00Z");
    assert.equal(bad.code, EXIT_CODES.USAGE);
    assert.match(bad.stderr, /future/);
    const r = await lifeboat("incident", "detected-at", minutesAgo(21), "--note", "the pager fired at", "--json");
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.json.value.kind, "incident.detected-at");
    assert.equal(r.json.value.details.previous, new Date(minutesAgo(20)).toISOString());
    // Corrected back: the RTO below is measured from the latest value.
    assert.equal((await lifeboat("incident", "detected-at", minutesAgo(20))).code, 0);
  });

  test("incident status and list", async () => {
    const s = await lifeboat("incident", "status", "--json");
    assert.equal(s.code, 0);
    assert.equal(Math.round(s.json.value.rto.achievedMs / 60_000), 18);
    assert.equal(s.json.value.rto.met, true);
    assert.equal(s.json.value.rpo.achievedMs, 30_000);
    assert.equal(s.json.value.rpo.met, true);
    const human = await lifeboat("incident", "status");
    assert.match(human.stdout, /RTO 18 min .*met/);
    assert.match(human.stdout, /\(corrected from /);
    assert.match(human.stdout, /\[x\] 1\. Verify data integrity/);
    const list = await lifeboat("incident", "list");
    assert.match(list.stdout, new RegExp(`${id}\\s+SEV1\\s+data-corruption`));
  });

  test("incident close", async () => {
    const r = await lifeboat(
      "incident",
      "close",
      "--resolution",
      "Rows copied back",
      "--follow-up",
      "Guard bulk deletes",
      "--json",
    );
    assert.equal(r.code, 0);
    assert.equal(r.json.value.report.status, "closed");
    assert.equal(r.json.value.report.followUps[0].text, "Guard bulk deletes");
    // Its record is final: a late note or correction is refused (exit 8), nothing is appended.
    const late = await lifeboat("incident", "note", "--incident", id, "one more thing");
    assert.equal(late.code, EXIT_CODES.REFUSED);
    assert.match(late.stderr, /was closed at .*takes no more records/);
    assert.equal(
      (await lifeboat("incident", "detected-at", minutesAgo(30), "--incident", id)).code,
      EXIT_CODES.REFUSED,
    );
  });

  test("journal list, search, show", async () => {
    const l = await lifeboat("journal", "list", "--incident", id, "--json");
    assert.equal(l.json.value.total, 11);
    const human = await lifeboat("journal", "list", "--limit", "3");
    assert.match(human.stdout, /SEQ\s+TIME \(UTC\)\s+ACTOR/);
    assert.match(human.stdout, /3 of 11 matching records shown/);
    const s = await lifeboat("journal", "search", "shows BULK", "--json");
    assert.deepEqual(
      s.json.value.records.map((r: { seq: number }) => r.seq),
      [2],
    );
    const show = await lifeboat("journal", "show", "2");
    assert.match(show.stdout, /"summary": "Note: Audit log shows bulk DELETE"/);
    assert.match(show.stdout, /hash: matches/);
    assert.equal((await lifeboat("journal", "show", "999")).code, EXIT_CODES.USAGE);
    assert.equal((await lifeboat("journal", "list", "--outcome", "meh")).code, EXIT_CODES.USAGE);
  });

  test("journal export (json) verifies on its own; a tampered copy fails with the integrity exit code", async () => {
    const file = join(t.dir, "..", "incident.json");
    const e = await lifeboat("journal", "export", "--incident", id, "--format", "json", "--out", file, "--json");
    assert.equal(e.code, 0, e.stdout);
    assert.equal(e.json.value.records, 11);
    const v = await lifeboat("journal", "verify", "--file", file, "--json");
    assert.equal(v.json.value.ok, true);
    writeFileSync(file, readFileSync(file, "utf8").replace("Recover on a Neon branch", "Recover from S3"));
    const bad = await lifeboat("journal", "verify", "--file", file);
    assert.equal(bad.code, EXIT_CODES.INTEGRITY);
    assert.match(bad.stdout, /edited/);
    const clash = await lifeboat("journal", "export", "--incident", id, "--format", "json", "--out", file);
    assert.notEqual(clash.code, 0, "an existing file is never overwritten");
  });

  test("journal export (md) to stdout is the post-mortem; the export itself is journaled", async () => {
    const r = await lifeboat("journal", "export", "--incident", id, "--format", "md", "--out", "-");
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^# Post-mortem: Clinical notes deleted/);
    assert.match(r.stdout, /\| Database Admin \| Amal \| amal@clinic.example \|/);
    const exports = await lifeboat("journal", "list", "--kind", "journal.export", "--json");
    assert.equal(exports.json.value.total, 2);
    assert.equal((await lifeboat("journal", "export", "--format", "pdf")).code, EXIT_CODES.USAGE);
    const decisions = await lifeboat(
      "journal",
      "export",
      "--incident",
      id,
      "--kind",
      "operator.decision",
      "--out",
      "-",
      "--format",
      "csv",
    );
    assert.equal(decisions.stdout.trim().split("\r\n").length, 2, "the header and the one decision");
    assert.match(decisions.stdout, /Recover on a Neon branch/);
    const missing = join(t.dir, "..", "missing.md");
    assert.equal(
      (await lifeboat("journal", "export", "--incident", "inc-nope", "--out", missing)).code,
      EXIT_CODES.USAGE,
    );
    assert.equal(existsSync(missing), false, "no empty file is left behind");
  });

  test("journal verify: intact, prints an anchor; a wrong anchor fails", async () => {
    const v = await lifeboat("journal", "verify");
    assert.equal(v.code, 0);
    const anchor = /anchor .*: (\d+:[0-9a-f]{64})/.exec(v.stdout)![1]!;
    assert.equal((await lifeboat("journal", "verify", "--anchor", anchor)).code, 0);
    const [seq] = anchor.split(":");
    const wrong = await lifeboat("journal", "verify", "--anchor", `${seq}:${"0".repeat(64)}`);
    assert.equal(wrong.code, EXIT_CODES.INTEGRITY);
    assert.match(wrong.stdout, /anchor-mismatch/);
    assert.equal((await lifeboat("journal", "verify", "--anchor", "nonsense")).code, EXIT_CODES.USAGE);
  });
});
