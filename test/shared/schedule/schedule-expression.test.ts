import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSchedule, scheduleProblem } from "../../../src/shared/schedule/schedule-expression.ts";

test("schedules that cannot be parsed say what is wrong and how to write them", () => {
  for (const [text, why] of [
    ["", /empty/],
    ["daily at 25:00", /not a time of day/],
    ["weekly on funday at 03:00", /not a day of the week/],
    ["every 7 hours", /divisor of 24/],
    ["every 2 minutes", /divisor of 60/],
    ["monthly on day 31", /28th|1 to 28/],
    ["sometimes", /neither a schedule Lifeboat understands nor a five-field cron/],
    ["61 2 * * *", /not a valid cron expression/],
    ["0 2 1 * 1", /both the day of the month and the day of the week/],
    ["0 0 2 * * *", /five-field cron/],
    ["@daily", /five-field cron/],
    ["* * * * *", /more often than every 5 minutes/],
  ] as const) {
    const problem = scheduleProblem(text);
    assert.ok(problem, `${JSON.stringify(text)} should be refused`);
    assert.match(problem, why, `${JSON.stringify(text)}: ${problem}`);
  }
  assert.match(scheduleProblem("sometimes")!, /daily at 02:00/, "the help names a working form");
});

test("friendly forms become cron with expanded fields", () => {
  assert.equal(parseSchedule("daily at 02:00").cron, "0 2 * * *");
  assert.equal(parseSchedule("Daily 2:30").cron, "30 2 * * *");
  assert.equal(parseSchedule("every 6 hours").cron, "0 */6 * * *");
  assert.deepEqual(parseSchedule("every 6 hours at :15").fields.hours, [0, 6, 12, 18]);
  assert.equal(parseSchedule("every 15 minutes").cron, "*/15 * * * *");
  assert.equal(parseSchedule("weekly on sunday at 03:00").cron, "0 3 * * 0");
  assert.deepEqual(parseSchedule("weekly on mon, thu at 09:00").fields.daysOfWeek, [1, 4]);
  assert.equal(parseSchedule("monthly on day 1 at 04:00").cron, "0 4 1 * *");
  const q = parseSchedule("quarterly on day 2 at 04:30");
  assert.equal(q.cron, "30 4 2 1,4,7,10 *");
  assert.deepEqual(q.fields, { minutes: [30], hours: [4], daysOfMonth: [2], months: [1, 4, 7, 10], daysOfWeek: [] });
  // Sunday written as 7 in cron is the same day as 0.
  assert.deepEqual(parseSchedule("0 3 * * 7").fields.daysOfWeek, [0]);
});
