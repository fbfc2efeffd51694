import assert from "node:assert/strict";
import { test } from "node:test";
import {
  NEON_ID,
  newBranchId,
  newEndpointId,
  newOperationId,
  newProjectId,
} from "../../../src/main/sandbox/neon-ids.ts";

test("ids have Neon's shapes, and branch ids pass neonctl's test for an id (not a name)", () => {
  // neonctl: startsWith("br-") && /^[a-z0-9]+-[a-z0-9]+-[a-z0-9]+$/ on the rest.
  const haiku = /^[a-z0-9]+-[a-z0-9]+-[a-z0-9]+$/;
  for (let i = 0; i < 200; i++) {
    const b = newBranchId();
    assert.ok(b.startsWith("br-") && haiku.test(b.slice(3)), b);
    assert.match(b, NEON_ID);
    assert.match(newEndpointId(), /^ep-[a-z0-9]+-[a-z0-9]+-[a-z0-9]+$/);
    assert.match(newProjectId(), /^[a-z]+-[a-z]+-\d{8}$/);
  }
  assert.match(newOperationId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
