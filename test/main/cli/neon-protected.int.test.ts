// A protected production branch, Neon's recommended setup, through the real CLI on the sandbox: status and branches say
// so; a recovery branch made from it opens with a new password (never production's) and holds the data; a protected
// branch is never deleted, with the way out; unprotected, it goes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { neonApi } from "../../harness/neon-sandbox.ts";
import { useSandboxCli } from "../../harness/sandbox-cli.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const password = (uri: string) => decodeURIComponent(new URL(uri).password);

describe("a protected production branch on the sandbox", () => {
  const env = useSandboxCli("neon-protected", "protected_mark");

  test("status and branches show it; a recovery branch from it has its own password and the data", async () => {
    const { s, c, m } = env();
    const on = await neonApi(s, "PATCH", `:project/branches/${s.defaultBranchId}`, { branch: { protected: true } });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    await m.mark(1);
    await sleep(2500);

    const status = await c.cli("neon", "status");
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`default branch main \\(${s.defaultBranchId}\\), ready, protected`));
    const branches = await c.cli("neon", "branches");
    assert.match(branches.stdout, /main .*default.*protected/);

    const r = await c.cli("neon", "recover-to", "2 seconds ago", "--name", "recovery-protected", "--show-uri");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const uri = /postgres(?:ql)?:\/\/\S+/.exec(r.stdout)?.[0];
    assert.ok(uri, r.stdout);
    assert.notEqual(password(uri), password(s.connectionUri()!), "a copy of production never opens with its password");
    assert.deepEqual(await m.on(uri), [1]);
  });

  test("a protected branch is never deleted, with the way out; unprotected, Lifeboat deletes its own branch", async () => {
    const { s, c } = env();
    const made = (
      (await neonApi(s, "GET", ":project/branches")).body.branches as Array<{ id: string; name: string }>
    ).find((b) => b.name === "recovery-protected")!;
    assert.equal(
      (await neonApi(s, "PATCH", `:project/branches/${made.id}`, { branch: { protected: true } })).status,
      200,
    );
    const refused = await c.cli("neon", "delete", "recovery-protected");
    assert.equal(refused.code, 8, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /it is a protected branch, and Neon does not delete protected branches/);
    assert.match(refused.stderr, /Set as unprotected/);
    assert.ok((await neonApi(s, "GET", `:project/branches/${made.id}`)).status === 200, "still there");

    await neonApi(s, "PATCH", `:project/branches/${made.id}`, { branch: { protected: false } });
    const gone = await c.cli("neon", "delete", "recovery-protected");
    assert.equal(gone.code, 0, gone.stdout + gone.stderr);
    assert.equal((await neonApi(s, "GET", `:project/branches/${made.id}`)).status, 404);
  });
});
