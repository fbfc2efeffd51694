import type { ApiRouter } from "../api/router.ts";
import { SANDBOX_PROFILE } from "./practice-world.ts";

/** A practice world with no backup yet gets one, so the dashboard shows a backup, its size and its age. */
export async function firstPracticeBackup(router: ApiRouter, say: (line: string) => void): Promise<void> {
  const list = await router.invoke("backups.list", { profile: SANDBOX_PROFILE });
  if (!list.ok || list.value.backups.length) return;
  say("Making the sandbox's first backup in the background…");
  const r = await router.invoke("backups.run", { profile: SANDBOX_PROFILE, operationId: "sandbox-first-backup" });
  say(r.ok ? `First backup ${r.value.id} committed.` : `The first backup failed: ${r.error.message}`);
}
