// Secrets planted everywhere an operator or the engine could put them must not reach a single byte on disk: not the
// segments, the head, the index, nor any export format.
import { EXPORT_FORMATS } from "../../../src/shared/api/channels/journal-channels.ts";
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createWriteStream, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { forgetAllSecrets, rememberSecret } from "../../../src/main/secrets/redact.ts";
import { openJournal } from "../../../src/main/journal/journal.ts";
import { exportJournal } from "../../../src/main/journal-export/export-journal.ts";
import { openIncident, addNote, closeIncident } from "../../../src/main/incidents/incident-actions.ts";
import { verifyJournal } from "../../../src/main/journal/verify-journal.ts";
import { tempJournalDir } from "./journal-test-dir.ts";

const t = tempJournalDir();
after(() => {
  forgetAllSecrets();
  t.cleanup();
});

function ageIdentity(): string {
  try {
    return /AGE-SECRET-KEY-1[0-9A-Z]{58}/.exec(
      execFileSync("age-keygen", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
    )![0];
  } catch {
    return "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test("no planted secret reaches the journal, its index or any export", async () => {
  const password = "Tr0ub4dor&3-clinic";
  const urlPassword = "S3cretPassw0rd";
  const awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const identity = ageIdentity();
  rememberSecret(password);
  rememberSecret(awsSecret);
  const url = `postgresql://app:${urlPassword}@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=require`;

  const j = await openJournal({ dir: t.dir });
  const { id } = await openIncident(j, {
    title: `Outage; DATABASE_URL=${url}`,
    severity: "SEV1",
    scenario: "database-loss",
  });
  await addNote(j, { text: `Tried password ${password} and key ${awsSecret}\nidentity:\n${identity}` });
  await j.append({
    kind: "restore.run",
    summary: `restore from ${url}`,
    profile: "prod",
    details: {
      env: { PGPASSWORD: password, AWS_SECRET_ACCESS_KEY: awsSecret },
      argv: ["pg_restore", `--dbname=${url}`],
      nested: [{ deep: { deeper: `secretAccessKey=${awsSecret}` } }],
      [`key-${password}`]: "a secret used as a key",
      identityFile: identity,
    },
    outcome: "ok",
  });
  await assert.rejects(
    j.step({ kind: "backup.run", summary: "backup", details: { url } }, async () => {
      throw new LifeboatError(
        "PG_AUTH",
        `password authentication failed for ${url} (password ${password})`,
        `check ${awsSecret}`,
      );
    }),
  );
  await closeIncident(j, { resolution: `rotated ${password}`, followUps: [`revoke ${identity}`] });

  const exports: string[] = [];
  for (const format of EXPORT_FORMATS) {
    for (const scope of [{ incident: id }, {}]) {
      const file = join(t.dir, "..", `export-${format}-${Object.keys(scope).length}.${format}`);
      const out = createWriteStream(file);
      await exportJournal(j, { format, ...scope, journal: j }, out);
      out.end();
      await finished(out);
      exports.push(file);
    }
  }
  // Searching builds the index (text.bin holds searchable text): it must be clean too.
  assert.equal((await j.query({ text: "restore from" })).total, 1);
  await j.close();

  const files = [...filesUnder(t.dir), ...exports];
  assert.ok(
    files.some((f) => f.endsWith("text.bin")),
    "the index was built",
  );
  const forms = (s: string) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), s.replace(/&/g, "&amp;")];
  const needles = [...forms(password), urlPassword, ...forms(awsSecret), identity, "Tr0ub4dor"];
  for (const f of files) {
    const bytes = readFileSync(f);
    for (const n of needles)
      assert.equal(bytes.includes(Buffer.from(n)), false, `${f} contains a planted secret (${n.slice(0, 4)}…)`);
  }
  // The redaction left a visible mark (so the reader knows something was removed), and the chain is intact.
  const all = files
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => readFileSync(f, "utf8"))
    .join("");
  assert.ok(all.includes("[REDACTED]"));
  assert.ok(all.includes("ep-cool-darkness-123456"), "the host (not a secret) is kept");
  assert.equal((await verifyJournal(t.dir)).ok, true);
});
