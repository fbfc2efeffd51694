// Sample answers of the channels the outage and attack runbooks (server failure, region outage, ransomware) call, each passing
// its channel's result schema (fake-api.ts checks).
const defaultBranch = {
  id: "br-main-1",
  name: "main",
  state: "ready",
  createdAt: "2026-01-01T00:00:00Z",
  protected: false,
};

export const OUTAGE_RESULTS: Record<string, unknown> = {
  "replicas.where": {
    stores: [
      { name: "primary", store: "s3://clinic-us-east-1", error: "could not reach the store: connect ECONNREFUSED" },
      { name: "region-b", store: "s3://clinic-eu-west-1/nightly" },
    ],
    backups: [{ id: "20260117T020000Z-ab12", on: ["region-b"], missingFrom: [] }],
  },
  "profiles.test": {
    profile: "sandbox",
    ok: true,
    checks: [{ name: "database reachable", ok: true, detail: "SELECT 1 in 4 ms" }],
  },
  "neon.snapshot": {
    method: "branch",
    branch: {
      id: "br-emergency-1",
      name: "emergency-20260117-144000",
      createdAt: "2026-01-17T14:40:00Z",
      state: "ready",
      default: false,
      protected: false,
      lifeboat: true,
    },
    source: { id: defaultBranch.id, name: defaultBranch.name },
    takenAt: "2026-01-17T14:40:00Z",
    durationMs: 800,
  },
  "neon.status": {
    projectId: "proj-1",
    projectName: "clinic",
    apiHost: "https://console.neon.tech/api/v2",
    regionId: "aws-us-east-2",
    pgVersion: 17,
    historyRetentionSeconds: 604800,
    window: {
      start: "2026-01-10T14:40:00Z",
      end: "2026-01-17T14:40:00Z",
      retentionSeconds: 604800,
      requiredSeconds: 604800,
    },
    requiredSeconds: 604800,
    windowShort: false,
    plan: { name: "launch" },
    defaultBranch,
    computeState: "idle",
    computes: [{ id: "ep-main-1", type: "read_write", state: "idle", pendingState: "active", host: "ep-main-1.db" }],
    branchCount: 1,
    checkedAt: "2026-01-17T14:40:00Z",
    warnings: [],
    notes: ["The compute is idle."],
  },
  "neon.restore": {
    branch: { ...defaultBranch, default: true, lifeboat: false },
    source: { id: defaultBranch.id, name: defaultBranch.name },
    pointInTime: "2026-01-17T14:40:00Z",
    preservedAs: "failed-compute-20260117-144000",
    preservedId: "br-failed-1",
    durationMs: 2000,
    operationsWaited: 2,
    warnings: [],
  },
};
