// "We went back too far": after main is restored to T1, a point between T1 and the restore holds T1's data in main's
// history. Through the real CLI on the sandbox: the warning, whose data the recovery branch holds (and that it really
// holds it), and the backup branch it offers as the source, which really holds main's own data at that point.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useSandboxCli } from "../../harness/sandbox-cli.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

describe("a second restore on the sandbox", () => {
  const env = useSandboxCli("neon-second-restore", "second_mark");
  const sandbox = () => env().s;
  const mark = (n: number) => env().m.mark(n);
  const marksOn = (uri: string) => env().m.on(uri);

  const uriOf = (stdout: string) => {
    const uri = /postgres(?:ql)?:\/\/\S+/.exec(stdout)?.[0];
    assert.ok(uri, stdout);
    return uri;
  };

  test("a point between the restore's target and the restore: warned, T1's data, and the backup as the way out", async () => {
    await mark(1);
    await sleep(2000);
    const t1 = iso(Date.now());
    await sleep(2000);
    await mark(2);
    await sleep(1500);
    // Between mark 2 and the restore: in main's own history (the backup's), mark 2 is there.
    const p = iso(env().m.at.get(2)! + 1000);
    await sleep(1000);
    const first = await env().c.cli(
      "neon",
      "restore",
      "--to",
      t1,
      "--confirm",
      "main",
      "--preserve-as",
      "before-second",
    );
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.deepEqual(await marksOn(sandbox().connectionUri()!), [1], "main went back to T1");
    await sleep(1500);
    await mark(3);

    const look = await env().c.cli("neon", "recover-to", p, "--name", "recovery-second-look", "--show-uri");
    assert.equal(look.code, 0, look.stdout + look.stderr);
    const warning = /warning: (.*)/.exec(look.stderr)?.[1] ?? "";
    assert.match(
      warning,
      new RegExp(`^main was restored at \\S+ to ${t1}, so ${p} in main's history holds main as of ${t1}`),
    );
    assert.ok(
      warning.includes(
        `use that as the source instead (recover-to --parent before-second "${p}", restore --source-branch before-second --to "${p}")`,
      ),
      warning,
    );
    assert.match(look.stdout, new RegExp(`holds main as of ${t1} \\(what the restore at \\S+ brought back\\)`));
    assert.deepEqual(await marksOn(uriOf(look.stdout)), [1], "the point holds T1's data, as warned");

    const right = await env().c.cli(
      "neon",
      "recover-to",
      p,
      "--parent",
      "before-second",
      "--name",
      "recovery-second-right",
      "--show-uri",
    );
    assert.equal(right.code, 0, right.stdout + right.stderr);
    assert.doesNotMatch(right.stderr, /warning:/);
    assert.match(right.stdout, new RegExp(`holds before-second as of ${p}`));
    assert.deepEqual(await marksOn(uriOf(right.stdout)), [1, 2], "the backup holds main's own data at that point");

    // And the restore it offers puts main back to its own data at that point.
    const back = await env().c.cli(
      "neon",
      "restore",
      "--source-branch",
      "before-second",
      "--to",
      p,
      "--confirm",
      "main",
      "--preserve-as",
      "before-third",
    );
    assert.equal(back.code, 0, back.stdout + back.stderr);
    assert.deepEqual(await marksOn(sandbox().connectionUri()!), [1, 2]);
  });
});
