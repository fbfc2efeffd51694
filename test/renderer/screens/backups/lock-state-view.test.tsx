import { test } from "node:test";
import assert from "node:assert/strict";
import { renderToStaticMarkup } from "react-dom/server";
import { LockStateView } from "../../../../src/renderer/src/screens/backups/lock-state-view.tsx";

const object = (name: string, retainUntil: string | null, legalHold = false) => ({
  key: `clinic/20261207T120000Z-abcd/${name}`,
  versionId: "v1",
  mode: retainUntil ? ("COMPLIANCE" as const) : null,
  retainUntil,
  legalHold,
});

test("a locked backup shows its mode, until when, and each object's lock; an unlocked one says it can be deleted now", () => {
  const locked = renderToStaticMarkup(
    <LockStateView
      lock={{
        id: "20261207T120000Z-abcd",
        store: "s3://clinic-backups/nightly/",
        status: "locked",
        until: "2033-12-05T12:00:00.000Z",
        mode: "COMPLIANCE",
        legalHold: false,
        objects: [
          object("clinic.pgdump.zst.age", "2033-12-05T12:00:00.000Z"),
          object("manifest.json", "2033-12-05T12:00:00.000Z"),
        ],
        summary: "locked (COMPLIANCE) until 2033-12-05T12:00:00.000Z on all 2 objects",
      }}
    />,
  );
  assert.match(locked, /class="notice tone-ok"[^>]*><strong>Locked<\/strong><p>locked \(COMPLIANCE\) until 2033-12-05/);
  assert.match(locked, /<td class="mono">manifest.json<\/td><td>COMPLIANCE<\/td>/);
  assert.doesNotMatch(locked, /Deletable from<\/dt><dd>now/);

  const open = renderToStaticMarkup(
    <LockStateView
      lock={{
        id: "20261207T120000Z-abcd",
        store: "folder:/mnt/usb",
        status: "unsupported",
        until: null,
        mode: null,
        legalHold: false,
        objects: [],
        summary: "a folder cannot lock: anyone who can write to it can delete the backup",
      }}
    />,
  );
  assert.match(open, /tone-warn[^>]*><strong>Not locked<\/strong><p>a folder cannot lock/);
  assert.match(open, /now/);
});
