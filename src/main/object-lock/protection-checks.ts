import type { StoreProtection } from "../../shared/api/channels/protection-channels.ts";
import type { Profile } from "../../shared/config.ts";
import type { Check } from "../../shared/api/common-schemas.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { profileStores } from "../replicas/profile-stores.ts";
import { storeProtections } from "./store-protection.ts";

/**
 * `profile test`'s word on immutability, per store: versioning and Object Lock, each with what to change. A store the
 * profile requires to lock fails the test when it cannot; elsewhere a missing protection is a warning.
 */
export async function protectionChecks(profile: Profile, ctx: Pick<EngineContext, "resolveSecret">): Promise<Check[]> {
  const required = new Map(profileStores(profile).map((s) => [s.name, !!s.objectLock]));
  const checks: Check[] = [];
  for (const s of await storeProtections(profile, ctx)) {
    const name = s.name === "primary" ? "" : ` (replica ${s.name})`;
    const mustLock = required.get(s.name ?? "primary") ?? false;
    if (s.error) {
      checks.push({ name: `store${name}`, ok: false, detail: s.error });
      continue;
    }
    checks.push(versioningCheck(s, name, mustLock), lockCheck(s, name, mustLock));
  }
  return checks;
}

function versioningCheck(s: StoreProtection, name: string, mustLock: boolean): Check {
  const ok = s.versioning === "enabled" || s.objectLock === "bucket-rule";
  return {
    name: `versioning${name}`,
    ok,
    ...(ok || mustLock ? {} : { warning: true }),
    detail: ok
      ? s.objectLock === "bucket-rule"
        ? "not applicable: the bucket's lock rules forbid overwrites"
        : "enabled: an overwrite keeps the earlier version"
      : (s.notes.find((n) => n.startsWith("versioning")) ?? s.notes[0] ?? `versioning is ${s.versioning}`),
  };
}

function lockCheck(s: StoreProtection, name: string, mustLock: boolean): Check {
  const ok = s.objectLock === "enabled" || s.objectLock === "bucket-rule";
  const defaultRule = s.defaultRetention
    ? `; bucket default ${s.defaultRetention.mode} ${s.defaultRetention.days} days`
    : "";
  return {
    name: `object lock${name}`,
    ok,
    ...(ok || mustLock ? {} : { warning: true }),
    detail: ok
      ? s.objectLock === "bucket-rule"
        ? s.notes[0]!
        : `enabled${defaultRule}${mustLock ? "; every backup is locked until its retention tier lets it go" : '; the profile sets no objectLock, so backups are not locked (add "objectLock": {"mode": "COMPLIANCE"})'}`
      : (s.notes.find((n) => n.includes("Object Lock")) ?? s.notes[0] ?? `Object Lock is ${s.objectLock}`),
  };
}
