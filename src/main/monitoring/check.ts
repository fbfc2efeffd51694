// `lifeboat check`: every profile judged, worst state first, in the monitoring-plugin convention (Nagios, Icinga;
// Barman's `check --nagios` is the model): one line "LIFEBOAT <STATE> - <summary> | <perfdata>" and the exit code
// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
import type { Profile } from "../../shared/config.ts";
import { nagiosCode, type CheckResult, type ProfileFacts } from "../../shared/monitoring/monitoring-schemas.ts";
import { worstState } from "./check-rules.ts";
import { fleetFacts, type FactsOptions } from "./profile-facts.ts";

/** Perfdata is left out above this many profiles: the line would outgrow what plugins may print (use the metrics). */
const PERFDATA_PROFILES = 20;

const seconds = (from: string | undefined, now: Date): number | undefined =>
  from ? Math.max(0, Math.round((now.getTime() - Date.parse(from)) / 1000)) : undefined;

function perfdata(profiles: ProfileFacts[], now: Date): string {
  if (profiles.length > PERFDATA_PROFILES) return "";
  const parts: string[] = [];
  for (const p of profiles) {
    const backup = seconds(p.lastBackup?.finishedAt, now);
    const proof = seconds(p.lastProvenRestore?.at, now);
    if (backup !== undefined) parts.push(`'${p.profile}_backup_age'=${backup}s;;;0`);
    if (proof !== undefined) parts.push(`'${p.profile}_restore_proof_age'=${proof}s;;;0`);
    if (p.store.bytes !== undefined)
      parts.push(`'${p.profile}_store'=${p.store.bytes}B;;${p.store.quotaBytes ?? ""};0`);
  }
  return parts.length ? ` | ${parts.join(" ")}` : "";
}

export function checkLine(profiles: ProfileFacts[], now: Date): { state: CheckResult["state"]; line: string } {
  const state = profiles.length ? worstState(profiles.map((p) => p.state)) : "UNKNOWN";
  const bad = profiles.filter((p) => p.state !== "OK");
  const summary = !profiles.length
    ? "no profiles to check"
    : bad.length
      ? `${bad.length} of ${profiles.length} profiles ${bad.length === 1 ? "has" : "have"} issues` +
        bad
          .map(
            (p) =>
              ` * ${p.profile} ${p.state}: ${p.findings
                .filter((f) => f.state !== "OK")
                .map((f) => `${f.item}: ${f.detail}`)
                .join("; ")}`,
          )
          .join("")
      : `${profiles.length} ${profiles.length === 1 ? "profile" : "profiles"}: backups and proven restores on time` +
        profiles.map((p) => ` * ${p.profile}`).join("");
  // One line, always: the plugin convention reads only the first.
  return { state, line: `LIFEBOAT ${state} - ${summary.replace(/[\r\n|]+/g, " ")}${perfdata(profiles, now)}` };
}

export async function runCheck(profiles: Profile[], o: FactsOptions): Promise<CheckResult> {
  const t0 = performance.now();
  const facts = await fleetFacts(profiles, o);
  const { state, line } = checkLine(facts, o.now);
  return {
    state,
    code: nagiosCode(state),
    line,
    generatedAt: o.now.toISOString(),
    profiles: facts,
    durationMs: Math.round(performance.now() - t0),
  };
}
