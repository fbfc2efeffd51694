import { after, test } from "node:test";
import assert from "node:assert/strict";
import { lastPassingDrill } from "../../../src/main/drills/drill-history.ts";
import { testContext } from "../neon/neon-test-profile.ts";

const ctxP = testContext();
after(async () => (await ctxP).dispose());

test("the baseline is the newest passing drill of the same profile", async () => {
  const { journal } = await ctxP;
  assert.equal(await lastPassingDrill(journal, "clinic"), undefined);
  const rec = (profile: string, outcome: "ok" | "failed" | "started", pass: boolean | undefined, patients: number) =>
    journal.append({
      kind: "drill.neon",
      summary: "t",
      profile,
      outcome,
      details: { ...(pass !== undefined ? { pass } : {}), counts: [{ table: "Patient", rows: patients }] },
    });
  await rec("clinic", "ok", true, 100);
  const good = await rec("clinic", "ok", true, 120);
  await rec("clinic", "started", undefined, 1);
  await rec("clinic", "failed", false, 10);
  await rec("other", "ok", true, 999);
  const b = await lastPassingDrill(journal, "clinic");
  assert.equal(b?.seq, good.seq);
  assert.equal(b?.counts.get("Patient"), 120);
});
