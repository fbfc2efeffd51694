// The by-hand verification recipes in src/main/journal/README-format.md are run as written, so the document stays true:
// silent on an intact journal, and loud on an edited, deleted or reordered one.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, execSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openJournal } from "../../../src/main/journal/journal.ts";
import { tempJournalDir } from "./journal-test-dir.ts";

const DOC = fileURLToPath(new URL("../../../src/main/journal/README-format.md", import.meta.url));
const doc = readFileSync(DOC, "utf8");
const recipe = (lang: string) => new RegExp("```" + lang + " verify-journal\\n([\\s\\S]*?)```").exec(doc)?.[1];
const has = (tool: string) => {
  try {
    execSync(`command -v ${tool}`, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

const t = tempJournalDir();
let copies = 0;
before(async () => {
  const j = await openJournal({ dir: t.dir, segmentBytes: 900 });
  for (let i = 0; i < 8; i++)
    await j.append({
      kind: "operator.note",
      summary: `note ${i} with "quotes", a \\ backslash and ünïcode`,
      details: { i },
    });
  await j.close();
});
after(t.cleanup);

function copy(change?: (lines: string[]) => string[]): string {
  const dir = join(t.dir, "..", `copy-${copies++}`);
  cpSync(t.dir, dir, { recursive: true });
  if (change) {
    const segs = readdirSync(dir)
      .filter((n) => n.endsWith(".jsonl"))
      .sort();
    const lines = change(segs.flatMap((n) => readFileSync(join(dir, n), "utf8").split("\n").filter(Boolean)));
    segs.forEach((n, i) => writeFileSync(join(dir, n), i === 0 ? `${lines.join("\n")}\n` : ""));
  }
  return dir;
}

const runners: [string, string, (script: string, cwd: string) => string][] = [
  ["sh", "jq", (s, cwd) => execFileSync("bash", ["-c", s], { cwd, encoding: "utf8" })],
  ["python", "python3", (s, cwd) => execFileSync("python3", ["-c", s], { cwd, encoding: "utf8" })],
];

for (const [lang, tool, run] of runners) {
  describe(`README recipe: verify by hand (${lang})`, () => {
    const script = recipe(lang);
    const skip = !has(tool) ? `${tool} is not installed` : false;

    test("the recipe is in the document", () =>
      assert.ok(script, `no \`\`\`${lang} verify-journal block in README-format.md`));

    test("an intact journal: no complaints, and the last record is the head", { skip }, () => {
      const out = run(script!, copy()).trim().split("\n");
      assert.equal(out.length, 2, out.join("\n"));
      const last = /^last: #(\d+) ([0-9a-f]{64})$/.exec(out[0]!);
      const head = /^head: #(\d+) ([0-9a-f]{64})$/.exec(out[1]!);
      assert.ok(last && head);
      assert.deepEqual([last[1], last[2]], [head[1], head[2]]);
      assert.equal(last[1], "8");
    });

    test("an edited record is reported", { skip }, () => {
      const out = run(
        script!,
        copy((l) => ((l[4] = l[4]!.replace("note 4", "note four")), l)),
      );
      assert.match(out, /record 5: content does not match its hash/);
    });

    test("a deleted record is reported", { skip }, () => {
      const out = run(
        script!,
        copy((l) => (l.splice(4, 1), l)),
      );
      assert.match(out, /record 5: does not link to the record before it/);
    });

    test("swapped records are reported", { skip }, () => {
      const out = run(
        script!,
        copy((l) => (([l[4], l[5]] = [l[5]!, l[4]!]), l)),
      );
      assert.match(out, /record 5: seq 6 is out of place/);
    });
  });
}
