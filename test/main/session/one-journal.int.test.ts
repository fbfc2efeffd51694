// One operation, two faces: run from the CLI and from the console (the browser host, over HTTP), it leaves the same
// journal records, field for field. Only what identifies the record itself (seq, time, chain hashes) and what a run
// measures (its ids, sizes, durations) may differ; both faces run in this process, so even the actor is the same.
import type { JournalRecord } from "../../../src/shared/api/journal-schemas.ts";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startBrowserHost, type BrowserHost } from "../../../src/main/browser-host/start-browser-host.ts";
import { openJournalReader } from "../../../src/main/journal/journal.ts";
import { createHttpBridge } from "../../../src/renderer/src/api/http-bridge.ts";
import type { LifeboatBridge } from "../../../src/shared/api/bridge.ts";
import { startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let host: BrowserHost | undefined;
let bridge: LifeboatBridge & { close(): void };

before(async () => {
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) {
    skip = e.skip;
    return;
  }
  env = e;
  const rendererDir = join(env.dir, "renderer");
  await mkdir(rendererDir, { recursive: true });
  await writeFile(join(rendererDir, "index.html"), "<!doctype html><title>test</title>");
  host = await startBrowserHost({ configPath: env.configPath, env: env.env, rendererDir, build: false });
  bridge = createHttpBridge({ token: host.token, baseUrl: host.origin });
});
after(async () => {
  bridge?.close();
  await host?.close();
  await env?.stop();
});

async function journalSince(seq: number): Promise<JournalRecord[]> {
  return (await openJournalReader(env!.env.LIFEBOAT_JOURNAL_DIR).query({ fromSeq: seq + 1, limit: 1000 })).records;
}

async function lastSeq(): Promise<number> {
  return (await openJournalReader(env!.env.LIFEBOAT_JOURNAL_DIR).tip()).seq;
}

/** What a record says, without what only identifies it in the chain. */
function content(r: JournalRecord, measured: string[] = []): Record<string, unknown> {
  const { seq: _s, ts: _t, prev: _p, hash: _h, durationMs: _d, details, ...rest } = r;
  const kept = Object.fromEntries(Object.entries(details).filter(([k]) => !measured.includes(k)));
  return { ...rest, details: kept };
}

/** Runs `cli` then `console`, and returns the records each left. */
async function both(cli: () => Promise<unknown>, viaConsole: () => Promise<unknown>) {
  const s0 = await lastSeq();
  await cli();
  const s1 = await lastSeq();
  await viaConsole();
  return {
    fromCli: await journalSince(s0).then((r) => r.filter((x) => x.seq <= s1)),
    fromConsole: await journalSince(s1),
  };
}

function ok<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}

describe("the same operation from the CLI and from the console leaves the same journal records", () => {
  test("profile add / profiles.save", async (t) => {
    if (skip) return t.skip(skip);
    const p = env!.profile as any;
    const { fromCli, fromConsole } = await both(
      async () => {
        const r = await env!.cli([
          "profile",
          "add",
          "ward",
          "--host",
          p.database.host,
          "--port",
          String(p.database.port),
          "--database",
          p.database.database,
          "--user",
          p.database.user,
          "--password-ref",
          p.database.password,
          "--sslmode",
          "disable",
          "--folder",
          env!.dir,
          "--recipient",
          env!.recipient,
        ]);
        assert.equal(r.code, 0, r.stderr);
      },
      async () => {
        const saved = ok(await bridge.invoke("profiles.get", { name: "ward" }));
        ok(await bridge.invoke("profiles.save", { profile: saved }));
      },
    );
    assert.equal(fromCli.length, 1);
    assert.equal(fromCli[0]!.kind, "profile.save");
    assert.deepEqual(
      fromConsole.map((r) => content(r)),
      fromCli.map((r) => content(r)),
    );
  });

  test("incident note / incidents.note", async (t) => {
    if (skip) return t.skip(skip);
    ok(await bridge.invoke("incidents.open", { title: "Notes gone", severity: "SEV2", scenario: "data-corruption" }));
    const { fromCli, fromConsole } = await both(
      async () => assert.equal((await env!.cli(["incident", "note", "Audit log shows a bulk DELETE"])).code, 0),
      async () => ok(await bridge.invoke("incidents.note", { text: "Audit log shows a bulk DELETE" })),
    );
    assert.equal(fromCli.length, 1);
    assert.equal(fromCli[0]!.kind, "operator.note");
    assert.ok(fromCli[0]!.incident, "attached to the open incident");
    assert.deepEqual(
      fromConsole.map((r) => content(r)),
      fromCli.map((r) => content(r)),
    );
    assert.equal((await env!.cli(["incident", "close"])).code, 0);
  });

  test("backup / backups.run: the started and the finished record", async (t) => {
    if (skip) return t.skip(skip);
    const { fromCli, fromConsole } = await both(
      async () => assert.equal((await env!.cli(["backup", "-p", "clinic"])).code, 0),
      async () => ok(await bridge.invoke("backups.run", { profile: "clinic" })),
    );
    assert.deepEqual(
      fromCli.map((r) => [r.kind, r.outcome]),
      [
        ["backup.run", "started"],
        ["backup.run", "ok"],
      ],
    );
    const measured = [
      "id",
      "objectKey",
      "bytes",
      "sha256",
      "manifestSha256",
      "dumpBytes",
      "databaseBytes",
      "startSeq",
      "phases",
    ];
    assert.deepEqual(
      fromConsole.map((r) => content(r, measured)),
      fromCli.map((r) => content(r, measured)),
    );
    assert.deepEqual(Object.keys(fromConsole[1]!.details).sort(), Object.keys(fromCli[1]!.details).sort());
  });
});
