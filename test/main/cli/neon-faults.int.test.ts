// Every fault the sandbox can inject, during `lifeboat neon restore`, `neon recover-to` and `drill neon`, through the
// real CLI against a real project: what is printed, the exit code and the journal must all say what actually happened
// on the sandbox (the restore done or not, the branch made or not). One sandbox (the Scale plan, so the backups of many
// restores stay within its root-branch allowance).
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { openJournalReader } from "../../../src/main/journal/journal.ts";
import type { FaultRule } from "../../../src/main/sandbox/faults.ts";
import type { Sandbox } from "../../../src/main/sandbox/index.ts";
import type { CliRun } from "../../harness/cli.ts";
import { neonApi, useSandbox, waitForOperations, type NeonBody } from "../../harness/neon-sandbox.ts";
import { sandboxCli, type SandboxCli } from "../../harness/sandbox-cli.ts";

const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`;

interface Case {
  name: string;
  /** Faults on the command's change (restoreProjectBranch / createProjectBranch) unless they name an operation. */
  faults: FaultRule[];
  args?: string[];
  /** What happened on the sandbox: the change was carried out. */
  happened: boolean;
  code: number;
  says: RegExp[];
  /** The command's journal outcomes, in order. */
  journal: string[];
  /** Neon accepted the change (a restore then journals "requested" between start and outcome). */
  requested: boolean;
  /** Something the test does while the command runs (e.g. ending a stuck operation). */
  meanwhile?: (s: Sandbox) => Promise<void>;
  operationDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The faults every command meets, with what each must lead to; `op` is the command's change. */
function cases(op: string, what: { notDone: RegExp; lostDone: RegExp }): Case[] {
  const on = (f: Omit<FaultRule, "operation"> & { operation?: string }): FaultRule => ({ operation: op, ...f });
  return [
    {
      name: "429 with Retry-After on the change: waited for, repeated, done",
      faults: [on({ kind: "status", status: 429, retryAfterSeconds: 1 })],
      requested: true,
      happened: true,
      code: 0,
      says: [/Neon answered 429 \(rate limit exceeded, try again later\); retrying in 1\.0 s/],
      journal: ["started", "ok"],
    },
    {
      name: "423 twice on the change (another operation running): repeated, done",
      faults: [on({ kind: "status", status: 423, times: 2 })],
      requested: true,
      happened: true,
      code: 0,
      says: [/Neon answered 423/],
      journal: ["started", "ok"],
    },
    {
      name: "503 twice on a read: repeated, done",
      faults: [{ kind: "status", status: 503, times: 2, operation: "listProjectBranches" }],
      requested: true,
      happened: true,
      code: 0,
      says: [/Neon answered 503/],
      journal: ["started", "ok"],
    },
    {
      name: "502 on the change before it was carried out: checked, not done, safe to repeat",
      faults: [on({ kind: "status", status: 502 })],
      requested: false,
      happened: false,
      code: 4,
      says: [/was lost \(HTTP 502/, what.notDone, /safe to run the same/],
      journal: ["started", "failed"],
    },
    {
      name: "connection dropped before the change was carried out: checked, not done",
      faults: [on({ kind: "drop-before" })],
      requested: false,
      happened: false,
      code: 4,
      says: [/was lost \(the connection was reset/, what.notDone],
      journal: ["started", "failed"],
    },
    {
      name: "502 after the change was carried out: the answer was lost, the change found, reported done",
      faults: [on({ kind: "status-after", status: 502 })],
      requested: true,
      happened: true,
      code: 0,
      says: [/checking what Neon did/, what.lostDone],
      journal: ["started", "ok"],
    },
    {
      name: "connection dropped after the change was carried out: found, done",
      faults: [on({ kind: "drop-after" })],
      requested: true,
      happened: true,
      code: 0,
      says: [what.lostDone],
      journal: ["started", "ok"],
    },
    {
      name: "an answer slower than --timeout (the work was done): found, done",
      faults: [on({ kind: "delay", delayMs: 4000 })],
      args: ["--timeout", "1"],
      requested: true,
      happened: true,
      code: 0,
      says: [/no answer within 1\.0 s/, what.lostDone],
      journal: ["started", "ok"],
    },
    {
      name: "operation polls answered 502 twice: repeated, done",
      faults: [{ kind: "status", status: 502, times: 2, operation: "getProjectOperation" }],
      requested: true,
      happened: true,
      code: 0,
      says: [/Neon answered 502/],
      journal: ["started", "ok"],
    },
    {
      name: "operations Neon retries (status error): waited for, done",
      faults: [on({ kind: "operation-retried", failures: 2 })],
      requested: true,
      happened: true,
      code: 0,
      says: [/failed [12] time\(s\), last retried .*, Neon is retrying/],
      journal: ["started", "ok"],
    },
    {
      name: "an operation that fails: failed, with Neon's error",
      faults: [on({ kind: "operation-failed" })],
      requested: true,
      happened: false,
      code: 4,
      says: [/operation [0-9a-f-]+ ended failed: the operation failed \(injected by the Lifeboat sandbox\)/],
      journal: ["started", "failed"],
    },
    {
      name: "slow operations: waited for, done",
      faults: [],
      operationDelayMs: 1200,
      requested: true,
      happened: true,
      code: 0,
      says: [/waiting for Neon: .*running/],
      journal: ["started", "ok"],
    },
    {
      name: "an operation stuck until it fails: failed",
      faults: [on({ kind: "operation-stuck" })],
      meanwhile: async (s) => {
        await sleep(1500);
        await s.releaseStuck();
      },
      requested: true,
      happened: false,
      code: 4,
      says: [/ended failed: the operation never finished/],
      journal: ["started", "failed"],
    },
  ];
}

describe("Neon faults through the CLI", () => {
  const sandbox = useSandbox({ plan: "scale" });
  let c: SandboxCli;
  let n = 0;
  const cli = (...args: string[]) => c.cli(...args);

  before(async () => {
    c = await sandboxCli(sandbox(), "neon-faults");
    // History to restore into: the points are a few seconds back.
    await sleep(4000);
  });
  after(async () => c?.remove());

  const branchNamed = async (name: string): Promise<NeonBody | undefined> =>
    ((await neonApi(sandbox(), "GET", ":project/branches")).body.branches as NeonBody[]).find((b) => b.name === name);

  async function outcomes(kind: string, match: (d: Record<string, unknown>) => boolean): Promise<string[]> {
    const { records } = await openJournalReader(c.journalDir).query({ kind, limit: 1000 });
    return records.filter((r) => match(r.details)).map((r) => r.outcome);
  }

  async function run(c: Case, command: () => Promise<CliRun>): Promise<CliRun> {
    const s = sandbox();
    for (const f of c.faults) s.faults.add(f);
    s.setOperationDelay(c.operationDelayMs ?? 0);
    try {
      const [r] = await Promise.all([command(), c.meanwhile?.(s)]);
      return r;
    } finally {
      s.faults.clear();
      s.setOperationDelay(0);
    }
  }

  function check(c: Case, r: CliRun): void {
    const out = r.stdout + r.stderr;
    assert.equal(r.code, c.code, out);
    for (const re of c.says) assert.match(out, re);
    assert.ok(!/This is a bug/.test(out), out);
  }

  describe("neon restore", () => {
    for (const c of cases("restoreProjectBranch", {
      notDone: /Lifeboat checked: main was not restored \(no backup branch/,
      lostDone: /Neon has the restore after all: backup branch .* exists/,
    })) {
      test(c.name, async () => {
        const s = sandbox();
        const name = `fault-restore-${++n}`;
        const before = (await neonApi(s, "GET", `:project/branches/${s.defaultBranchId}`)).body.branch.last_reset_at;
        // Neon gives last_reset_at to the second: a restore in the same second as the previous case's would look
        // like no restore at all.
        if (before) await delay(Math.max(0, Date.parse(before) + 1100 - Date.now()));
        const r = await run(c, () =>
          cli(
            "neon",
            "restore",
            "--to",
            "3 seconds ago",
            "--confirm",
            "main",
            "--preserve-as",
            name,
            "--max-wait",
            "20",
            ...(c.args ?? []),
          ),
        );
        check(c, r);
        if (c.code !== 0) assert.match(r.stderr, new RegExp(`give --to "${ISO}", not "3 seconds ago"`));
        const backup = await branchNamed(name);
        const now = (await neonApi(s, "GET", `:project/branches/${s.defaultBranchId}`)).body.branch.last_reset_at;
        assert.equal(!!backup, c.happened, `backup branch ${name}`);
        assert.equal(now !== before, c.happened, "main's last_reset_at");
        const journal = await outcomes("neon.restore", (d) => d.preserveAs === name);
        // Once Neon had the request, the journal says so on its own line before the outcome.
        assert.deepEqual(journal, c.requested ? [c.journal[0]!, "info", c.journal[1]!] : c.journal);
        if (backup)
          await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${backup.id}`)).body.operations);
      });
    }

    test("polls that never get an answer: the outcome is unknown (exit 4), journaled as unknown, never as failed", async () => {
      const s = sandbox();
      const name = `fault-restore-${++n}`;
      const r = await run(
        {
          name: "",
          faults: [{ kind: "drop-before", operation: "getProjectOperation", times: Infinity }],
          requested: true,
          happened: true,
          code: 4,
          says: [],
          journal: [],
        },
        () =>
          cli(
            "neon",
            "restore",
            "--to",
            "3 seconds ago",
            "--confirm",
            "main",
            "--preserve-as",
            name,
            "--max-wait",
            "2",
          ),
      );
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /Neon accepted "restore branch main" but Lifeboat lost sight of it/);
      assert.match(r.stderr, /Its outcome is not known/);
      assert.deepEqual(await outcomes("neon.restore", (d) => d.preserveAs === name), ["started", "info", "unknown"]);
      const backup = await branchNamed(name);
      assert.ok(backup, "the restore went on without Lifeboat watching");
      await sleep(1000);
      await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${backup.id}`)).body.operations);
    });
  });

  describe("neon recover-to", () => {
    for (const c of cases("createProjectBranch", {
      notDone: /Lifeboat checked: Neon did not make branch recovery-fault-\d+/,
      lostDone: /Neon made it after all: branch recovery-fault-\d+ \(br-[a-z0-9-]+\) exists/,
    })) {
      test(c.name, async () => {
        const s = sandbox();
        const name = `recovery-fault-${++n}`;
        const r = await run(c, () =>
          cli("neon", "recover-to", "3 seconds ago", "--name", name, "--max-wait", "20", ...(c.args ?? [])),
        );
        check(c, r);
        if (c.code === 0) assert.match(r.stdout, new RegExp(`recovery branch ${name} \\(br-[a-z0-9-]+\\) is ready`));
        else assert.match(r.stderr, new RegExp(`give the point "${ISO}", not "3 seconds ago"`));
        const made = await branchNamed(name);
        assert.equal(!!made, c.happened, `branch ${name}`);
        assert.deepEqual(await outcomes("neon.recover-to", (d) => d.branch === name), c.journal);
        if (made)
          await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${made.id}`)).body.operations);
      });
    }
  });

  describe("drill neon", () => {
    for (const c of cases("createProjectBranch", {
      notDone: /Lifeboat checked: Neon did not make branch backup-test-/,
      lostDone: /Neon made it after all: branch backup-test-/,
    })) {
      test(c.name, async () => {
        const drills = (await outcomes("drill.neon", () => true)).length;
        const r = await run(c, () =>
          cli("drill", "neon", "--offset", "3 seconds", "--max-wait", "20", ...(c.args ?? [])),
        );
        const pass = c.code === 0;
        check({ ...c, code: pass ? 0 : 4 }, r);
        assert.match(r.stdout, pass ? /✅ Backup test passed/ : /❌ BACKUP TEST FAILED/);
        const journal = (await outcomes("drill.neon", () => true)).slice(drills);
        assert.deepEqual(journal, ["started", pass ? "ok" : "failed"]);
        assert.equal(
          ((await neonApi(sandbox(), "GET", ":project/branches")).body.branches as NeonBody[]).filter((b) =>
            b.name.startsWith("backup-test-"),
          ).length,
          0,
          "the test branch never outlives the test",
        );
      });
    }

    test("the test branch's delete loses its answer after Neon did it: deleted, no warning", async () => {
      const r = await run(
        {
          name: "",
          faults: [{ kind: "drop-after", operation: "deleteProjectBranch" }],
          requested: true,
          happened: true,
          code: 0,
          says: [],
          journal: [],
        },
        () => cli("drill", "neon", "--offset", "3 seconds"),
      );
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stderr, /Neon has the delete of branch backup-test-\S+ after all/);
      assert.doesNotMatch(r.stdout, /could not be deleted/);
    });

    test("the delete is lost before Neon did it: the branch is named as still there, the test still passes", async () => {
      const r = await run(
        {
          name: "",
          faults: [{ kind: "drop-before", operation: "deleteProjectBranch" }],
          requested: false,
          happened: false,
          code: 0,
          says: [],
          journal: [],
        },
        () => cli("drill", "neon", "--offset", "3 seconds"),
      );
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        /⚠ the test branch backup-test-\S+ could not be deleted: .*was not deleted .*it is still there.*lifeboat neon delete backup-test-/,
      );
      const left = ((await neonApi(sandbox(), "GET", ":project/branches")).body.branches as NeonBody[]).filter((b) =>
        b.name.startsWith("backup-test-"),
      );
      assert.equal(left.length, 1);
      await waitForOperations(
        sandbox(),
        (await neonApi(sandbox(), "DELETE", `:project/branches/${left[0].id}`)).body.operations,
      );
    });
  });
});
