// `lifeboat incident open|note|close|list|status`: incidents are journal records; these commands record them through
// the incidents.* channels, as the console's runbooks do.
import { formatDuration, formatTime } from "../../../shared/format.ts";
import { SCENARIOS, SEVERITIES } from "../../../shared/incident.ts";
import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import { exitCodeFor, LifeboatError } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { leftoverSentence } from "../../../shared/incidents/leftover-sentence.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { table } from "../output.ts";
import { collect, positiveNumber } from "./option-helpers.ts";

type Contact = { role: string; name: string; contact: string };
type RecordLike = { seq: number; ts: string; kind: string; summary: string };
type Report = ResultOf<"incidents.get">;

/** "Role: Name <contact>" as typed on the command line. */
function parseContact(text: string): Contact {
  const m = /^\s*([^:]+):\s*([^<]+?)\s*<([^>]+)>\s*$/.exec(text);
  if (!m)
    throw new LifeboatError(
      "USAGE",
      `--contact "${text}" is not "Role: Name <email or phone>".`,
      'For example: --contact "Database Admin: Amal <amal@clinic.example>"',
    );
  return { role: m[1]!.trim(), name: m[2]!.trim(), contact: m[3]!.trim() };
}

function recordLine(r: RecordLike): string {
  return `#${r.seq} ${r.ts} ${r.kind}: ${r.summary}`;
}

function leftoverLines(l: ResultOf<"incidents.leftovers">, reminder: boolean): string[] {
  const sentence = leftoverSentence(l);
  const lines = sentence
    ? [
        `${reminder ? "REMINDER: " : ""}${sentence}`,
        ...l.branches.map(
          (b) =>
            `  branch ${b.name} (compute ${b.computeState ?? "none"})${b.fromIncident ? " — made in this incident" : ""}: lifeboat incident clean-up --branch ${b.name}`,
        ),
        ...l.databases.map(
          (d) =>
            `  database ${d.database} on ${d.host} (${Math.round(d.bytes / 1048576)} MB, ${d.kind}): lifeboat incident clean-up --database ${d.profile}:${d.database} --confirm ${d.database}`,
        ),
      ]
    : reminder
      ? []
      : ["nothing left behind: no Lifeboat branches, no restored or staging databases"];
  return [...lines, ...l.unchecked.map((u) => `  not checked: ${u.what}: ${u.message}`)];
}

function statusText(r: Report): string {
  const done = r.checklist.filter((c) => c.done).length;
  return [
    `${r.id}  ${r.drill ? "DRILL " : ""}${r.severity ?? ""} ${r.scenario ?? ""}  ${r.status}`.replace(/\s+/g, " "),
    `  ${r.title}`,
    `  detected ${formatTime(r.detectedAt)}${r.detectedAtOriginal ? ` (corrected from ${formatTime(r.detectedAtOriginal)})` : ""}, opened ${formatTime(r.openedAt)}${r.closedAt ? `, closed ${formatTime(r.closedAt)}` : ""}`,
    r.rto.achievedMs !== undefined
      ? `  RTO ${formatDuration(r.rto.achievedMs)} (target ${r.targets.rtoMinutes} min: ${r.rto.met ? "met" : "missed"})`
      : `  RTO clock running: ${formatDuration(r.rto.elapsedMs)} since ${r.rto.fromLabel} (target ${r.targets.rtoMinutes} min) — stop it with: lifeboat incident note --restored`,
    r.rpo.achievedMs !== undefined
      ? `  RPO ${formatDuration(r.rpo.achievedMs)} (target ${r.targets.rpoMinutes} min: ${r.rpo.met ? "met" : "missed"})${r.rpo.note ? ` — ${r.rpo.note}` : ""}`
      : "  RPO unknown: no recovery point recorded yet",
    `  checklist ${done}/${r.checklist.length}:`,
    ...r.checklist.map((c, i) => `    [${c.done ? "x" : " "}] ${i + 1}. ${c.item}`),
    `  ${r.counts.records} records, ${r.counts.operations} operations, ${r.counts.byOutcome.failed ?? 0} failed, ${r.counts.byOutcome.refused ?? 0} refused`,
  ].join("\n");
}

export function registerIncidentCommands(program: Command, ctx: CliContext): void {
  const incident = program
    .command("incident")
    .description("open, annotate and close incidents; while one is open, every journal record attaches to it");

  incident
    .command("open")
    .description("open an incident (starts the RTO clock at --detected-at, default now)")
    .requiredOption("-t, --title <text>", "what is wrong, in a line")
    .requiredOption("-s, --severity <sev>", `${SEVERITIES.join(", ")} (SEV1 is the worst)`)
    .requiredOption("--scenario <scenario>", SCENARIOS.join(", "))
    .option("--detected-at <time>", "when the problem was first noticed, if before now (ISO 8601)")
    .option("--corruption-time <time>", "when the data went bad, if known (for the achieved RPO)")
    .option("-p, --profile <name>", "the affected profile (its RTO/RPO targets and contacts are used)")
    .option("--rto-minutes <n>", "RTO target (default: the profile's, else 30)", positiveNumber)
    .option("--rpo-minutes <n>", "RPO target (default: the profile's, else 1)", positiveNumber)
    .option("--contact <text>", 'a contact for the post-mortem, "Role: Name <email or phone>"; repeatable', collect, [])
    .option("--drill", "a drill or practice, not a real incident (default for --scenario backup-test)")
    .action(
      async (o: {
        title: string;
        severity: string;
        scenario: string;
        detectedAt?: string;
        corruptionTime?: string;
        profile?: string;
        rtoMinutes?: number;
        rpoMinutes?: number;
        contact: string[];
        drill?: boolean;
      }) => {
        const request = {
          title: o.title,
          severity: o.severity.toUpperCase() as (typeof SEVERITIES)[number],
          scenario: o.scenario as (typeof SCENARIOS)[number],
          detectedAt: o.detectedAt,
          corruptionTime: o.corruptionTime,
          profile: o.profile,
          ...(o.rtoMinutes || o.rpoMinutes ? { targets: { rtoMinutes: o.rtoMinutes, rpoMinutes: o.rpoMinutes } } : {}),
          ...(o.contact.length ? { contacts: o.contact.map(parseContact) } : {}),
          ...(o.drill ? { drill: true } : {}),
        };
        await invokeAndPrint(ctx, "incidents.open", request, (v) =>
          [
            `${v.record.details.drill ? "drill" : "incident"} ${v.id} opened; every journal record now attaches to it`,
            `  ${recordLine(v.record)}`,
            `  close it with: lifeboat incident close --resolution "…"`,
          ].join("\n"),
        );
      },
    );

  incident
    .command("note [text...]")
    .description("add a note to the open incident (or --incident); --decision, --follow-up, --step <item>, --restored")
    .option("-i, --incident <id>", "the incident (default: the open one)")
    .option("--decision", "record the text as a decision")
    .option("--follow-up", "record the text as a follow-up for the post-mortem")
    .option("--step <item>", "tick a post-recovery checklist item (number or start of its text)")
    .option("--restored", "service is restored: stops the RTO clock")
    .option("--at <time>", "with --restored: when service came back, if before now (ISO 8601)")
    .option("--corruption-time <time>", "when the data went bad (for the achieved RPO)")
    .option("--recovery-point <time>", "the point in time the data was recovered to (for the achieved RPO)")
    .action(
      async (
        words: string[],
        o: {
          incident?: string;
          decision?: boolean;
          followUp?: boolean;
          step?: string;
          restored?: boolean;
          at?: string;
          corruptionTime?: string;
          recoveryPoint?: string;
        },
      ) => {
        if (o.decision && o.followUp)
          throw new LifeboatError(
            "USAGE",
            "A note is either a --decision or a --follow-up.",
            "Record them as two notes.",
          );
        const text = words.join(" ").trim();
        const request = {
          incident: o.incident,
          ...(text ? { text } : {}),
          ...(o.decision ? { kind: "decision" as const } : o.followUp ? { kind: "follow-up" as const } : {}),
          step: o.step,
          restored: o.restored,
          at: o.at,
          corruptionTime: o.corruptionTime,
          recoveryPoint: o.recoveryPoint,
        };
        await invokeAndPrint(ctx, "incidents.record", request, (v) =>
          v.records.map((r) => `recorded ${recordLine(r)}`).join("\n"),
        );
      },
    );

  incident
    .command("detected-at <time>")
    .description(
      "correct when the problem was detected (the RTO clock runs from it); the first value stays in the journal",
    )
    .option("-i, --incident <id>", "the incident (default: the open one)")
    .option("--note <text>", "why it changed (e.g. where the earlier time comes from)")
    .action(async (time: string, o: { incident?: string; note?: string }) => {
      await invokeAndPrint(
        ctx,
        "incidents.detectedAt",
        { detectedAt: time, ...(o.incident ? { incident: o.incident } : {}), ...(o.note ? { note: o.note } : {}) },
        (r) => `recorded ${recordLine(r)}`,
      );
    });

  incident
    .command("close")
    .description("close the open incident (or --incident)")
    .option("-i, --incident <id>", "the incident (default: the open one)")
    .option("-r, --resolution <text>", "how it was resolved, in a line")
    .option("--follow-up <text>", "a follow-up for the post-mortem; repeatable", collect, [])
    .option("--unrepaired-reason <text>", "why the incident closes while its repair left damaged rows undecided")
    .action(async (o: { incident?: string; resolution?: string; followUp: string[]; unrepairedReason?: string }) => {
      const request = {
        incident: o.incident,
        resolution: o.resolution,
        followUps: o.followUp,
        unrepairedReason: o.unrepairedReason,
      };
      await invokeAndPrint(ctx, "incidents.close", request, (v) =>
        [
          `${v.report.drill ? "drill" : "incident"} ${v.record.incident} closed`,
          statusText(v.report),
          ...(v.leftovers ? leftoverLines(v.leftovers, true) : []),
          `post-mortem: lifeboat journal export --incident ${v.record.incident} --format md`,
        ].join("\n"),
      );
    });

  incident
    .command("leftovers")
    .description("what recovery left running or stored: Lifeboat's Neon branches, restored and staging databases")
    .option("-i, --incident <id>", "mark what this incident made (default: the open one)")
    .option("-p, --profile <name>", "the profile (default: the only one)")
    .action(async (o: { incident?: string; profile?: string }) => {
      await invokeAndPrint(ctx, "incidents.leftovers", { incident: o.incident, profile: o.profile }, (v) =>
        leftoverLines(v, false).join("\n"),
      );
    });

  incident
    .command("clean-up")
    .description("delete leftovers: Lifeboat's branches, and databases a restore left (each with --confirm <its name>)")
    .option("-p, --profile <name>", "the profile (default: the only one)")
    .option(
      "--branch <name>",
      "a branch Lifeboat made (recovery-*, emergency-*, backup-test-*); repeatable",
      collect,
      [],
    )
    .option("--database <[profile:]name>", "a database a restore left; repeatable", collect, [])
    .option("--confirm <name>", "each database's name again, in the same order; repeatable", collect, [])
    .action(async (o: { profile?: string; branch: string[]; database: string[]; confirm: string[] }) => {
      const databases = o.database.map((d, i) => {
        const [owner, name] = d.includes(":") ? (d.split(":", 2) as [string, string]) : [o.profile ?? "", d];
        return { profile: owner, database: name, confirm: o.confirm[i] ?? "" };
      });
      await invokeAndPrint(
        ctx,
        "incidents.cleanUp",
        { profile: o.profile, branches: o.branch, databases: databases.filter((d) => d.profile) },
        (v) =>
          [
            ...v.deleted.map((d) => `deleted ${d.what} ${d.name}`),
            ...v.failed.map(
              (f) => `NOT deleted ${f.what} ${f.name}: ${f.error.message}${f.error.hint ? ` — ${f.error.hint}` : ""}`,
            ),
          ].join("\n") || "nothing to delete",
        { exitCode: (v) => (v.failed[0] ? exitCodeFor(v.failed[0].error.code) : 0) },
      );
    });

  incident
    .command("list")
    .description("incidents in this journal")
    .action(async () => {
      await invokeAndPrint(ctx, "incidents.list", {}, (v) =>
        v.incidents.length
          ? table([
              ["ID", "SEVERITY", "SCENARIO", "OPENED (UTC)", "STATUS", "RECORDS", "TITLE"],
              ...v.incidents.map((i) => [
                i.id,
                i.severity ?? "",
                `${i.scenario ?? ""}${i.drill ? " (drill)" : ""}`,
                (i.openedAt ?? "").replace("T", " ").slice(0, 19),
                i.closeSeq ? "closed" : "open",
                String(i.records),
                i.title ?? "",
              ]),
            ])
          : "no incidents in this journal",
      );
    });

  incident
    .command("status [id]")
    .description("RTO clock, achieved RPO and checklist of the open incident (or the one named)")
    .action(async (id: string | undefined) => {
      await invokeAndPrint(ctx, "incidents.get", { id }, statusText);
    });
}
