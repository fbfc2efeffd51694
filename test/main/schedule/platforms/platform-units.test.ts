// The platform schedulers' files, checked by the platforms' own tools or proper parsers: systemd-analyze (verify, and
// calendar for when the timer fires, which must be exactly when the schedule says), a plist parser for launchd and an
// XML parser for Task Scheduler.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parse } from "plist";
import { validateProfile } from "../../../../src/main/config/config-validate.ts";
import { launchdAgent } from "../../../../src/main/schedule/platforms/launchd-agent.ts";
import { scheduledUnits } from "../../../../src/main/schedule/platforms/scheduled-units.ts";
import { onCalendar, systemdUnits } from "../../../../src/main/schedule/platforms/systemd-units.ts";
import { windowsTask } from "../../../../src/main/schedule/platforms/windows-task.ts";
import { occurrencesBetween } from "../../../../src/shared/schedule/occurrences.ts";

const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
const profile = (schedule: Record<string, unknown>, timezone = local) =>
  validateProfile({
    name: "clinic",
    database: { host: "db", database: "app", user: "u", password: "env:P" },
    storage: { kind: "folder", path: "/mnt/usb" },
    encryption: { recipients: ["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"] },
    schedule: { timezone, ...schedule },
  });
const units = (schedule: Record<string, unknown>, timezone?: string) =>
  scheduledUnits([profile(schedule, timezone)], {
    configPath: "/home/dba/.config/lifeboat/config.json",
    platform: "systemd",
  });

const SCHEDULES = {
  backup: "every 6 hours at :15",
  verify: "weekly on sunday, wednesday at 03:00",
  drill: "quarterly on day 2 at 04:30",
};
const systemdAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;

test(
  "systemd units pass systemd-analyze verify, and a broken one does not",
  { skip: !systemdAnalyze && "no systemd-analyze" },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "lifeboat-units-"));
    try {
      const files = units(SCHEDULES).flatMap((u) => systemdUnits(u));
      for (const f of files) await writeFile(join(dir, f.name), f.content);
      const ok = spawnSync("systemd-analyze", ["verify", "--man=no", ...files.map((f) => join(dir, f.name))], {
        encoding: "utf8",
      });
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(files.find((f) => f.name === "lifeboat-clinic-backup.timer")!.content, /^Persistent=true$/m);
      await writeFile(join(dir, "broken.timer"), "[Timer]\nOnCalendar=every tuesday-ish\nUnit=missing.service\n");
      const bad = spawnSync("systemd-analyze", ["verify", "--man=no", join(dir, "broken.timer")], { encoding: "utf8" });
      assert.notEqual(bad.status, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);

test(
  "the timer fires exactly when the schedule says (systemd-analyze calendar against cron-parser)",
  { skip: !systemdAnalyze && "no systemd-analyze" },
  () => {
    for (const tz of ["UTC", "Europe/Berlin", "America/New_York"]) {
      for (const u of units({ ...SCHEDULES, "neon-test": undefined }, tz)) {
        const expr = onCalendar(u.fields, u.timezone);
        const from = new Date("2026-03-01T00:00:00Z");
        const r = spawnSync(
          "systemd-analyze",
          ["calendar", "--iterations=6", "--base-time=2026-03-01 00:00:00 UTC", expr],
          {
            encoding: "utf8",
            env: { ...process.env, TZ: "UTC", LC_ALL: "C" },
          },
        );
        assert.equal(r.status, 0, r.stderr);
        const fired = [
          ...r.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/g),
        ].map((m) => new Date(`${m[1]!.replace(" ", "T")}Z`).toISOString());
        const expected = occurrencesBetween(u.at, tz, from, new Date("2028-01-01T00:00:00Z"), 6).map((d) =>
          d.toISOString(),
        );
        assert.deepEqual(fired, expected, `${u.at} in ${tz}: ${expr}`);
      }
    }
  },
);

test("the launchd agent parses as a property list: the runner at load, one calendar entry per start time", () => {
  const [backup, verify, drill] = units(SCHEDULES);
  const a = parse(launchdAgent(backup!, "/Users/dba").content) as Record<string, any>;
  assert.equal(a.Label, "org.lifeboat.clinic.backup");
  assert.deepEqual(a.ProgramArguments.slice(-6), ["--profile", "clinic", "--job", "backup", "--runner", "systemd"]);
  assert.equal(a.RunAtLoad, true);
  assert.deepEqual(
    a.StartCalendarInterval,
    [0, 6, 12, 18].map((Hour) => ({ Minute: 15, Hour })),
  );
  const v = parse(launchdAgent(verify!, "/Users/dba").content) as Record<string, any>;
  assert.deepEqual(
    v.StartCalendarInterval,
    [0, 3].map((Weekday) => ({ Minute: 0, Hour: 3, Weekday })),
  );
  const d = parse(launchdAgent(drill!, "/Users/dba").content) as Record<string, any>;
  assert.equal(d.StartCalendarInterval.length, 4);
  assert.equal(d.StandardOutPath, "/Users/dba/Library/Logs/lifeboat/org.lifeboat.clinic.drill.log");
  // Another zone than the Mac's: launchd cannot express it, so the runner is woken every 15 minutes and decides.
  const other = local === "Asia/Tokyo" ? "Europe/Berlin" : "Asia/Tokyo";
  const polled = parse(launchdAgent(units(SCHEDULES, other)[0]!, "/Users/dba").content) as Record<string, any>;
  assert.equal(polled.StartInterval, 900);
  assert.equal(polled.StartCalendarInterval, undefined);
});

test("the Task Scheduler XML is well formed UTF-16 with the triggers and settings that catch up and never overlap", () => {
  const [backup, verify, drill] = units(SCHEDULES);
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    isArray: (n) => n === "CalendarTrigger",
  });
  const read = (u: typeof backup) => {
    const t = windowsTask(u!);
    assert.deepEqual([...t.content.subarray(0, 2)], [0xff, 0xfe], "UTF-16 LE byte order mark");
    const xml = t.content.subarray(2).toString("utf16le");
    assert.equal(XMLValidator.validate(xml), true);
    return parser.parse(xml).Task;
  };
  const b = read(backup);
  assert.equal(b["@_xmlns"], "http://schemas.microsoft.com/windows/2004/02/mit/task");
  assert.equal(b.Settings.StartWhenAvailable, "true");
  assert.equal(b.Settings.MultipleInstancesPolicy, "IgnoreNew");
  assert.equal(b.RegistrationInfo.URI, "\\Lifeboat\\clinic-backup");
  assert.deepEqual(b.Triggers.CalendarTrigger[0].Repetition, {
    Interval: "PT6H",
    Duration: "P1D",
    StopAtDurationEnd: "false",
  });
  assert.equal(b.Triggers.CalendarTrigger[0].StartBoundary, "2026-01-01T00:15:00");
  assert.match(b.Actions.Exec.Arguments, /schedule run --profile clinic --job backup --runner systemd$/);
  const v = read(verify);
  assert.deepEqual(Object.keys(v.Triggers.CalendarTrigger[0].ScheduleByWeek.DaysOfWeek), ["Sunday", "Wednesday"]);
  const d = read(drill);
  const month = d.Triggers.CalendarTrigger[0].ScheduleByMonth;
  assert.deepEqual(Object.keys(month.Months), ["January", "April", "July", "October"]);
  assert.equal(month.DaysOfMonth.Day, "2");
});

test("a relative --metrics-textfile is made absolute in the unit: the scheduler runs it from another folder", () => {
  const [unit] = scheduledUnits([profile({ backup: "daily at 02:00" })], {
    configPath: "/home/dba/.config/lifeboat/config.json",
    platform: "systemd",
    metricsTextfile: "metrics/lifeboat.prom",
  });
  const at = unit!.argv.indexOf("--metrics-textfile");
  assert.equal(unit!.argv[at + 1], join(process.cwd(), "metrics", "lifeboat.prom"));
});
