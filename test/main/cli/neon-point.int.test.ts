// A relative point is resolved once, before the first call to Neon, and from then on only its absolute form is sent,
// printed, journaled and named in hints: through the real CLI against the sandbox, with faults on the change itself
// (Neon says "not now" and the request is sent again; the answer is lost after Neon did the change; Lifeboat loses
// sight of the operations). The data each branch ends up holding shows which instant Neon was actually given.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openJournalReader } from "../../../src/main/journal/journal.ts";
import type { FaultRule } from "../../../src/main/sandbox/faults.ts";
import type { CliRun } from "../../harness/cli.ts";
import { neonApi, waitForOperations, type NeonBody } from "../../harness/neon-sandbox.ts";
import { useSandboxCli } from "../../harness/sandbox-cli.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FIXED = /point: "2 seconds ago" is fixed at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)/;
const restore = (name: string, maxWait = "30") => [
  "neon",
  "restore",
  "--to",
  "2 seconds ago",
  "--confirm",
  "main",
  "--preserve-as",
  name,
  "--max-wait",
  maxWait,
];

describe("a relative point is fixed before the first call", () => {
  const env = useSandboxCli("neon-point", "point_mark");
  const sandbox = () => env().s;
  const mark = (n: number) => env().m.mark(n);
  const marksOn = (uri: string) => env().m.on(uri);

  /** Of the marks `ns`, the ones committed before `point`: what a branch at that instant must hold. */
  const committedBefore = (point: string, ns: number[]) =>
    ns.filter((n) => env().m.at.get(n)! < Date.parse(point)).sort((a, b) => a - b);

  /**
   * Mark `n` on main, three seconds of history, then the command with `fault` injected; once the sandbox has answered
   * with the fault (a single one), mark `n + 1`: committed after the point the command fixed. Returns the run, the
   * fixed point it printed, and main's marks before it ran.
   */
  async function withFault(
    n: number,
    fault: FaultRule,
    args: string[],
  ): Promise<{ r: CliRun; point: string; onMain: number[]; taken: number }> {
    const s = sandbox();
    const onMain = await marksOn(s.connectionUri()!);
    await mark(n);
    await sleep(3000);
    s.faults.add(fault);
    let taken = 0;
    try {
      const [r] = await Promise.all([
        env().c.cli(...args),
        (async () => {
          while (s.faults.list().length && (fault.times ?? 1) === 1) await sleep(20);
          taken = Date.now();
          if ((fault.times ?? 1) === 1) await mark(n + 1);
        })(),
      ]);
      const point = FIXED.exec(r.stderr)?.[1];
      assert.ok(point, r.stdout + r.stderr);
      return { r, point, onMain, taken };
    } finally {
      s.faults.clear();
    }
  }

  /** The command's journal records, oldest first, as [outcome, the absolute point they carry]. */
  async function journaled(kind: string, match: (d: Record<string, unknown>) => boolean): Promise<unknown[][]> {
    const { records } = await openJournalReader(env().c.journalDir).query({ kind, limit: 1000 });
    return records
      .filter((r) => match(r.details))
      .sort((a, b) => a.seq - b.seq)
      .map((r) => [r.outcome, r.details.pointAbsolute, r.details.input ?? r.summary]);
  }

  async function dropBranch(name: string): Promise<NeonBody> {
    const s = sandbox();
    const b = ((await neonApi(s, "GET", ":project/branches")).body.branches as NeonBody[]).find((x) => x.name === name);
    assert.ok(b, `branch ${name}`);
    await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${b.id}`)).body.operations);
    return b;
  }

  test("neon restore, 429 with Retry-After on the restore: the request sent again carries the same instant", async () => {
    const s = sandbox();
    const { r, point, taken } = await withFault(
      1,
      { kind: "status", status: 429, retryAfterSeconds: 4, operation: "restoreProjectBranch" },
      restore("point-429"),
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /Neon answered 429 .*retrying in 4\.0 s/);
    assert.match(r.stdout, new RegExp(`restored in place to ${point}`));
    // Mark 2 came after the fixed instant and at least a second before "2 seconds ago" at the second request: a point
    // resolved anew for it would keep mark 2.
    assert.ok(env().m.at.get(2)! > Date.parse(point) && env().m.at.get(2)! - taken < 1000, "the test's premise");
    assert.deepEqual(await marksOn(s.connectionUri()!), [1], "main holds the fixed instant, without mark 2");
    assert.deepEqual(await journaled("neon.restore", (d) => d.preserveAs === "point-429"), [
      ["started", point, "2 seconds ago"],
      ["info", point, "2 seconds ago"],
      ["ok", point, "2 seconds ago"],
    ]);
    await dropBranch("point-429");
  });

  test("neon restore, its answer lost after Neon did it (502): found, and reported at the instant printed first", async () => {
    const s = sandbox();
    const { r, point, onMain } = await withFault(
      3,
      { kind: "status-after", status: 502, operation: "restoreProjectBranch" },
      restore("point-502"),
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(r.stderr.indexOf(point) < r.stderr.indexOf("checking what Neon did"), "announced before the call");
    assert.match(r.stderr, /Neon has the restore after all: backup branch point-502/);
    assert.match(r.stdout, new RegExp(`restored in place to ${point}`));
    assert.ok(env().m.at.get(4)! > Date.parse(point), "mark 4 came after the point");
    assert.deepEqual(await marksOn(s.connectionUri()!), committedBefore(point, [...onMain, 3, 4]));
    const records = await journaled("neon.restore", (d) => d.preserveAs === "point-502");
    assert.deepEqual(
      records.map((x) => x.slice(0, 2)),
      [
        ["started", point],
        ["info", point],
        ["ok", point],
      ],
    );
    await dropBranch("point-502");
  });

  test("neon restore out of sight (polls never answered): the hint, the journal and Neon all have the same instant", async () => {
    const s = sandbox();
    const { r, point, onMain } = await withFault(
      5,
      { kind: "drop-before", operation: "getProjectOperation", times: Infinity },
      restore("point-unknown", "2"),
    );
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stderr, /Its outcome is not known/);
    assert.ok(r.stderr.includes(`give --to "${point}", not "2 seconds ago"`), `the hint names it: ${r.stderr}`);
    const records = await journaled("neon.restore", (d) => d.preserveAs === "point-unknown");
    assert.deepEqual(
      records.map((x) => x.slice(0, 2)),
      [
        ["started", point],
        ["info", point],
        ["unknown", point],
      ],
    );
    // Neon went on without Lifeboat watching: main holds that instant.
    const ops = ((await neonApi(s, "GET", ":project/operations?limit=10")).body.operations as NeonBody[]).filter(
      (o) => o.branch_id === s.defaultBranchId,
    );
    await waitForOperations(s, ops);
    assert.deepEqual(await marksOn(s.connectionUri()!), committedBefore(point, [...onMain, 5]));
    await dropBranch("point-unknown");
  });

  test("neon recover-to, its answer lost after Neon made the branch: the instant printed first, and the LSN Neon chose", async () => {
    const { r, point, onMain } = await withFault(
      6,
      { kind: "status-after", status: 502, operation: "createProjectBranch" },
      ["neon", "recover-to", "2 seconds ago", "--name", "recovery-point-502", "--max-wait", "30", "--show-uri"],
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /Neon made it after all: branch recovery-point-502/);
    const uri = /postgres(?:ql)?:\/\/\S+/.exec(r.stdout)?.[0];
    assert.ok(uri, "--show-uri prints the URI");
    assert.ok(env().m.at.get(7)! > Date.parse(point), "mark 7 came after the point");
    assert.deepEqual(await marksOn(uri), committedBefore(point, [...onMain, 6, 7]));
    const records = await journaled("neon.recover-to", (d) => d.branch === "recovery-point-502");
    assert.deepEqual(
      records.map((x) => x.slice(0, 2)),
      [
        ["started", point],
        ["ok", point],
      ],
    );
    const { records: ok } = await openJournalReader(env().c.journalDir).query({
      kind: "neon.recover-to",
      outcome: "ok",
    });
    const made = await dropBranch("recovery-point-502");
    assert.ok(made.parent_lsn, "Neon reports the LSN it resolved the point to");
    assert.equal(Date.parse(made.parent_timestamp), Date.parse(point));
    assert.ok(
      r.stdout.includes(`holds main as of ${point} (2 seconds ago); Neon resolved the point to LSN ${made.parent_lsn}`),
      r.stdout,
    );
    assert.equal(ok.find((x) => x.details.branch === "recovery-point-502")?.details.parentLsn, made.parent_lsn);
  });
});
