// Driving a runbook in the console as an operator does (start, each step by its region, the checklist, the close),
// plus what the tests check behind the page: SQL on the sandbox and the engine's own answers (the journal).
import assert from "node:assert/strict";
import pg from "pg";
import { TOKEN_HEADER } from "../../src/shared/api/bridge.ts";
import type { ConsoleEnv } from "./console-env.ts";
import { openScreen, visible } from "./ui.ts";

export async function sql<T>(env: ConsoleEnv, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ ...env.sandbox.connInfo()!, ssl: false });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

/** One channel through the browser host, as the page calls it; fails the test on an error answer. */
export async function invoke<T>(env: ConsoleEnv, channel: string, payload: unknown): Promise<T> {
  const r = await fetch(`${env.host.origin}/api/invoke`, {
    method: "POST",
    headers: { [TOKEN_HEADER]: env.host.token, "content-type": "application/json", origin: env.host.origin },
    body: JSON.stringify({ channel, payload }),
  });
  const body = (await r.json()) as { ok: boolean; value?: T; error?: { message: string } };
  assert.ok(body.ok, `${channel}: ${body.error?.message}`);
  return body.value as T;
}

export interface JournalRec {
  seq: number;
  kind: string;
  incident?: string;
  outcome: string;
  summary: string;
  details: Record<string, unknown>;
}

/** The journal's records of a kind (oldest first). */
export async function records(env: ConsoleEnv, filter: Record<string, unknown>): Promise<JournalRec[]> {
  return (await invoke<{ records: JournalRec[] }>(env, "journal.query", { limit: 1000, ...filter })).records;
}

export function stepRegion(env: ConsoleEnv, n: number, title: string) {
  return env.page.getByRole("region", { name: `Step ${n}: ${title}` });
}

/** Opens the runbook from the Runbooks screen with a new incident; returns the incident's id. */
export async function startRunbook(env: ConsoleEnv, title: string, incidentTitle: string): Promise<string> {
  const { page } = env;
  await openScreen(page, "Runbooks");
  await page.getByRole("button", { name: `Start ${title}` }).click();
  const form = await visible(page.getByRole("form", { name: `Start ${title}` }));
  await form.getByLabel("Incident title").fill(incidentTitle);
  await form.getByRole("button", { name: "Open incident and start" }).click();
  await visible(page.getByRole("timer", { name: "RTO clock" }));
  const [open] = await records(env, { kind: "incident.open", newest: true, limit: 1 });
  assert.ok(open?.incident, "no incident was opened");
  return open.incident;
}

/** Runs an action step and waits for its verdict; fails with what the page shows when it failed. */
export async function runAction(env: ConsoleEnv, n: number, title: string, button: string, timeout = 300_000) {
  const step = stepRegion(env, n, title);
  await (await visible(step.getByRole("button", { name: button }), 60_000)).click();
  await visible(step.getByText(/^(DONE|FAILED)$/), timeout);
  if (await step.getByText("FAILED", { exact: true }).isVisible())
    assert.fail(`step ${n} (${title}) failed: ${(await step.textContent()) ?? ""}`);
  return step;
}

export async function tickAll(env: ConsoleEnv, n: number): Promise<void> {
  const step = stepRegion(env, n, "Post-recovery checklist");
  const list = await visible(step.getByRole("group"));
  for (const item of await list.getByRole("checkbox").all()) await item.check();
  await visible(step.getByText("DONE", { exact: true }));
}

export async function closeIncident(env: ConsoleEnv, resolution: string): Promise<void> {
  const { page } = env;
  const panel = await visible(page.getByRole("region", { name: "Close the incident" }));
  await panel.getByLabel("Resolution").fill(resolution);
  await panel.getByRole("button", { name: /^Close (incident|drill)$/ }).click();
  await visible(page.getByRole("region", { name: "Incident closed" }));
}

/** The practice run the close recorded (team training): this runbook, its version, the operator and an RTO. */
export async function assertTrainingRecord(env: ConsoleEnv, incident: string, runbook: string, version: string) {
  const runs = (await records(env, { kind: "training.run" })).filter((r) => r.details.incident === incident);
  assert.equal(runs.length, 1, "one training record for the practice run");
  const d = runs[0]!.details;
  assert.equal(d.runbook, runbook);
  assert.equal(d.version, version);
  assert.match(String(d.operator), /.+@.+/);
  assert.equal(d.serviceRestored, true);
  assert.ok(typeof d.rtoMs === "number" && d.rtoMs > 0, `an achieved RTO: ${String(d.rtoMs)}`);
}
