// The audit's "region outage" (Scenario 5): the whole region of production goes: its compute cannot start and Neon's
// API answers 503 for the project (the control plane in that region is down too), until `lifeboat sandbox --reset`.
// The data is beyond reach, not lost; the recovery is elsewhere: the newest off-site backup, read from the replica
// in another region, restored into a new database there. The off-site store of "region A" is not the sandbox's to
// take down: whoever plays the outage makes it unreachable (the e2e test stops its S3 server).
import { dbLoss } from "./outage-incidents.ts";
import type { SandboxProject } from "./sandbox-project.ts";
import type { IncidentRecord } from "./sandbox-state.ts";

type Staged = Omit<IncidentRecord, "kind" | "branchId" | "lastGoodSecond">;

/** What the sandbox's Neon API answers for the project while its region is out. */
export function regionOutageMessage(since: string): string {
  return `the project's region is unavailable since ${since} (the sandbox's region-outage incident): no API call and no compute answers; recover from a replica in another region, or start over with lifeboat sandbox --reset`;
}

export async function stageRegionOutage(p: SandboxProject): Promise<Staged> {
  const lost = await dbLoss(p);
  p.state.project.regionOutageSince = lost.finishedAt;
  return {
    ...lost,
    summary: `the project's region is out: ${lost.summary}; Neon's API answers 503 for the project until --reset`,
    details: { ...lost.details, regionOutageSince: lost.finishedAt },
  };
}
