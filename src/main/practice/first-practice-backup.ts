import type { ApiRouter } from "../api/router.ts";
import { SANDBOX_PROFILE, type PracticeWorld } from "./practice-world.ts";
import { takeRegionADown } from "./region-b-world.ts";

/** Once the practice session is open: region A's store goes down when a region outage is staged, else a first backup. */
export async function readyPracticeWorld(
  practice: PracticeWorld,
  router: ApiRouter,
  say: (line: string) => void,
): Promise<void> {
  if (practice.regionB) await takeRegionADown(router, practice.s3, SANDBOX_PROFILE, say);
  else void firstPracticeBackup(router, say);
}

/** A practice world with no backup yet gets one, so the dashboard shows a backup, its size and its age. */
export async function firstPracticeBackup(router: ApiRouter, say: (line: string) => void): Promise<void> {
  const list = await router.invoke("backups.list", { profile: SANDBOX_PROFILE });
  if (!list.ok || list.value.backups.length) return;
  say("Making the sandbox's first backup in the background…");
  const r = await router.invoke("backups.run", { profile: SANDBOX_PROFILE, operationId: "sandbox-first-backup" });
  say(r.ok ? `First backup ${r.value.id} committed.` : `The first backup failed: ${r.error.message}`);
}
