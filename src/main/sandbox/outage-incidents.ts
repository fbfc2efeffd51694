// Incidents where the database stops answering: the compute lost (db-loss: Scenario 2) and a server failure in the
// middle of the clinic's writes (server-failure: Scenario 4), where what was committed must survive and what was in
// flight is lost, as on any PostgreSQL server that crashes.
import { LifeboatError } from "../../shared/errors.ts";
import { connect, destroyClient, withClient } from "../postgres/connect.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import type { SandboxProject } from "./sandbox-project.ts";
import type { IncidentRecord } from "./sandbox-state.ts";

type Staged = Omit<IncidentRecord, "kind" | "branchId" | "lastGoodSecond">;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The default branch's compute goes and does not come back; Neon keeps the data (the WAL is archived first). */
export async function dbLoss(p: SandboxProject): Promise<Staged> {
  const branch = p.defaultBranch();
  const endpoint = branch.endpoint;
  if (!endpoint || !p.clusters.has(branch.id))
    throw new LifeboatError("USAGE", "the default branch's compute is down already");
  const startedAt = new Date().toISOString();
  // Neon keeps the data (its safekeepers hold the WAL); only the compute is gone. So the WAL is archived first.
  await p.stopCompute(branch);
  // As Neon shows a compute that cannot start: idle, "active" pending for good, every start attempt failing.
  Object.assign(endpoint, {
    state: "idle",
    pendingState: "active",
    lost: true,
    suspendedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    summary: `the default branch's compute (${endpoint.id}) is unreachable; its data is recoverable through a branch or a restore`,
    details: { endpointId: endpoint.id, port: endpoint.port },
  };
}

const NOTE = `INSERT INTO "ClinicalNote" ("patientId", "authorId", "status", "title", "content", "updatedAt")
  SELECT (SELECT min(id) FROM "Patient"), (SELECT "id" FROM "User" ORDER BY "id" LIMIT 1), 'DRAFT', $1, $2, now()
  RETURNING id`;

/**
 * The server fails while the clinic writes: one note was committed just before (it must survive the recovery), a
 * second was being saved in an open transaction (it is lost). Then the compute is gone, as for db-loss.
 */
export async function serverFailure(p: SandboxProject, conn: ConnInfo): Promise<Staged> {
  const committed = await withClient(conn, async (c) => {
    const r = await c.query(NOTE, ["Saved before the failure", "Committed a moment before the server failed."]);
    return Number((r.rows[0] as { id: number }).id);
  });
  // The failure comes in the next second, so that whole second holds the committed note: the last good second.
  await sleep(1000 - (Date.now() % 1000) + 20);
  const inFlightTitle = "Being saved when the server failed";
  // The crash ends this session and its transaction (connect() already ignores the session's error event).
  const session = await connect(conn);
  let lost: Staged;
  try {
    await session.query("BEGIN");
    await session.query(NOTE, [inFlightTitle, "Never committed: the server failed first."]);
    lost = await dbLoss(p);
  } finally {
    destroyClient(session);
  }
  return {
    ...lost,
    summary: `the default branch's compute failed while the clinic was writing: note ${committed} was committed before, the note "${inFlightTitle}" was in flight and is lost; ${lost.summary}`,
    details: { ...lost.details, committedNoteId: committed, inFlightTitle },
  };
}
