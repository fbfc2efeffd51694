import { test } from "node:test";
import assert from "node:assert/strict";
import type { Alert } from "../../../src/shared/alert.ts";

const shown: string[] = [];
class FakeNotification {
  static permission = "granted";
  constructor(title: string) {
    shown.push(title);
  }
}
(globalThis as unknown as { Notification: unknown }).Notification = FakeNotification;
const { notifyNewAlerts } = await import("../../../src/renderer/src/lib/alert-notifier.ts");

const alert = (id: string, title: string): Alert => ({
  id,
  profile: "prod",
  rule: "backup-stale",
  severity: "CRITICAL",
  title,
  message: "m",
});

test("alerts on screen at start do not notify; each new condition notifies once; nothing without permission", () => {
  assert.deepEqual(notifyNewAlerts([alert("a", "Backup stale")]), []);
  assert.deepEqual(shown, []);
  const fresh = notifyNewAlerts([alert("a", "Backup stale"), alert("b", "Database unreachable")]);
  assert.deepEqual(
    fresh.map((a) => a.id),
    ["b"],
  );
  assert.deepEqual(shown, ["CRITICAL: Database unreachable"]);
  notifyNewAlerts([alert("b", "Database unreachable")]);
  assert.equal(shown.length, 1, "the same condition does not notify twice");
  FakeNotification.permission = "denied";
  assert.deepEqual(notifyNewAlerts([alert("c", "Size drop")]), []);
  assert.equal(shown.length, 1);
});
