// The Prometheus view of the same facts `check` judges, through prom-client (the format is its job, not ours):
// written for node_exporter's textfile collector (atomically: node_exporter must never read half a file) and
// optionally served on a port.
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import { Gauge, Registry } from "prom-client";
import { nagiosCode, type ProfileFacts } from "../../shared/monitoring/monitoring-schemas.ts";
import { writeFileAtomic } from "../config/write-file-atomic.ts";

const sec = (iso: string | undefined): number | undefined => (iso ? Date.parse(iso) / 1000 : undefined);

export async function renderMetrics(
  profiles: ProfileFacts[],
  now: Date,
): Promise<{ text: string; contentType: string }> {
  const registry = new Registry();
  const g = (name: string, help: string, labelNames: string[] = ["profile"]) =>
    new Gauge({ name: `lifeboat_${name}`, help, labelNames, registers: [registry] });
  const status = g("check_status", "lifeboat check state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN");
  const lastBackup = g("backup_last_success_timestamp_seconds", "When the newest committed backup finished");
  const age = g("backup_age_seconds", "Age of the newest committed backup");
  const duration = g("backup_last_duration_seconds", "How long the newest backup took");
  const size = g("backup_last_size_bytes", "Stored size of the newest backup");
  const rows = g("backup_last_rows", "Rows counted in the newest backup's snapshot");
  const count = g("backups", "Committed backups in the store");
  const proven = g(
    "restore_proven_timestamp_seconds",
    "When a restore was last proven (deep verify or DR drill passed)",
  );
  const test = g("backup_test_last_result", "Newest backup test: 1 passed, 0 failed", ["profile", "kind"]);
  const jobRun = g("job_last_run_timestamp_seconds", "When the last scheduled run of a job ended", ["profile", "job"]);
  const jobOk = g("job_last_success", "Last scheduled run of a job: 1 succeeded, 0 failed", ["profile", "job"]);
  const jobDuration = g("job_last_duration_seconds", "How long the last scheduled run of a job took", [
    "profile",
    "job",
  ]);
  const jobAttempts = g("job_last_attempts", "Tries the last scheduled run of a job needed", ["profile", "job"]);
  const phase = g("drill_phase_seconds", "The last DR drill, per phase (RTO per phase)", ["profile", "phase"]);
  const rto = g("drill_rto_seconds", "The last DR drill: restore start to every count proven");
  const used = g("store_used_bytes", "Bytes of the profile's backups in its store");
  const quota = g("store_quota_bytes", "The profile's store quota (monitoring.quotaBytes)");
  const alerts = g("alerts_open", "Open alerts by severity", ["profile", "severity"]);
  const dbUp = g("database_up", "The database answered SELECT 1");

  for (const p of profiles) {
    const profile = p.profile;
    status.set({ profile }, nagiosCode(p.state));
    if (p.lastBackup) {
      lastBackup.set({ profile }, sec(p.lastBackup.finishedAt)!);
      age.set({ profile }, Math.max(0, now.getTime() / 1000 - sec(p.lastBackup.finishedAt)!));
      duration.set({ profile }, p.lastBackup.durationMs / 1000);
      size.set({ profile }, p.lastBackup.bytes);
      rows.set({ profile }, p.lastBackup.rows);
    }
    if (p.backupCount !== undefined) count.set({ profile }, p.backupCount);
    if (p.lastProvenRestore) proven.set({ profile }, sec(p.lastProvenRestore.at)!);
    if (p.lastTest) test.set({ profile, kind: p.lastTest.kind }, p.lastTest.ok ? 1 : 0);
    for (const run of Object.values(p.jobs)) {
      if (!run?.finishedAt) continue;
      const labels = { profile, job: run.job };
      jobRun.set(labels, sec(run.finishedAt)!);
      jobOk.set(labels, run.status === "ok" ? 1 : 0);
      jobDuration.set(labels, (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000);
      jobAttempts.set(labels, run.attempts.length);
    }
    const drill = p.jobs.drill?.result;
    for (const ph of drill?.phases ?? []) phase.set({ profile, phase: ph.name }, ph.durationMs / 1000);
    if (drill?.rtoMs !== undefined) rto.set({ profile }, drill.rtoMs / 1000);
    if (p.store.bytes !== undefined) used.set({ profile }, p.store.bytes);
    if (p.store.quotaBytes !== undefined) quota.set({ profile }, p.store.quotaBytes);
    for (const severity of ["CRITICAL", "HIGH", "MEDIUM", "LOW"])
      alerts.set({ profile, severity }, p.alerts.filter((a) => a.severity === severity).length);
    if (p.database) dbUp.set({ profile }, p.database.reachable ? 1 : 0);
  }
  return { text: await registry.metrics(), contentType: registry.contentType };
}

/** For node_exporter's textfile collector: a temporary file in the same folder, renamed over the .prom file. */
export async function writeTextfile(path: string, text: string): Promise<void> {
  // The folder is node_exporter's (--collector.textfile.directory), readable by its user: one made here would be
  // private (0700), and node_exporter would silently see no metrics. So a missing folder is an error, never made.
  const dir = dirname(resolve(path));
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory())
    throw new LifeboatError(
      "LOCAL_DISK",
      `The metrics were not written: the folder ${dir} does not exist (or is not a folder).`,
      "Give the folder node_exporter's textfile collector reads (its --collector.textfile.directory, on Debian /var/lib/prometheus/node-exporter), or create it so that node_exporter's user can read it.",
    );
  // 0644: node_exporter usually runs as its own user and must read it; it holds no secret.
  await writeFileAtomic(path, text, 0o644);
}

/** Serves GET /metrics, rendered fresh on each scrape (at most once per `cacheMs`). */
export async function serveMetrics(
  render: () => Promise<{ text: string; contentType: string }>,
  opts: { port: number; host?: string; cacheMs?: number },
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  let cached: { at: number; body: Promise<{ text: string; contentType: string }> } | undefined;
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("Lifeboat serves /metrics only.\n");
      return;
    }
    if (!cached || Date.now() - cached.at > (opts.cacheMs ?? 15_000)) cached = { at: Date.now(), body: render() };
    cached.body.then(
      (m) => res.writeHead(200, { "content-type": m.contentType }).end(m.text),
      (e: unknown) => {
        cached = undefined;
        res.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${(e as Error).message}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", resolve);
  });
  const a = server.address() as AddressInfo;
  return {
    url: `http://${a.address}:${a.port}/metrics`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
