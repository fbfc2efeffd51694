// The plan figures Lifeboat takes from Neon's docs (restore window per plan: Free 6 h and 1 GB, Launch 1 day by default
// and up to 7, Scale 1 day by default and up to 30) and the defaults they lead to.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describePlan, planOf, requiredWindow } from "../../../src/main/neon/neon-plan.ts";

const H = 3600;
const D = 24 * H;
const plan = (subscription_type?: string) => planOf(subscription_type ? { owner: { subscription_type } } : {});

test("the plan is read from owner.subscription_type, with Neon's documented windows", () => {
  const rows = ["free_v3", "launch_v3", "scale_v3", "business"].map((t) => {
    const p = plan(t);
    return [p.name, p.defaultRetentionSeconds, p.maxRetentionSeconds, p.historyCapBytes];
  });
  assert.deepEqual(rows, [
    ["Free", 6 * H, 6 * H, 1024 ** 3],
    ["Launch", D, 7 * D, undefined],
    ["Scale", D, 30 * D, undefined],
    ["Business", D, 30 * D, undefined],
  ]);
  assert.equal(plan("free_v2").name, "Free", "Neon's CLI counts free_v2 as Free too");
});

test("an unreported or unlisted plan is unknown, and says which", () => {
  assert.deepEqual(plan(), { name: "unknown" });
  assert.match(describePlan(plan()), /did not report owner.subscription_type/);
  assert.match(describePlan(plan("enterprise_x")), /no figures for \(owner.subscription_type enterprise_x\)/);
});

test("the required window: 7 days, capped by what the plan can keep, unless the profile sets it", () => {
  assert.equal(requiredWindow(undefined, plan("free_v3")).seconds, 6 * H);
  assert.equal(requiredWindow(undefined, plan("launch_v3")).seconds, 7 * D);
  assert.match(requiredWindow(undefined, plan("scale_v3")).source, /allows up to 30 days/);
  assert.equal(requiredWindow(undefined, plan()).seconds, 7 * D);
  assert.deepEqual(requiredWindow(48, plan("free_v3")), {
    seconds: 48 * H,
    source: "neon.requiredRecoveryWindowHours",
  });
});
