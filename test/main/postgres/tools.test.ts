import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { chooseTools, discoverTools, type PgToolset } from "../../../src/main/postgres/tools.ts";
import { compareVersions, parseVersionOutput } from "../../../src/main/postgres/pg-version.ts";

function toolset(major: number, version: string, dir = `/opt/pg${version}/bin`): PgToolset {
  return { major, version, dir, pgDump: `${dir}/pg_dump`, pgRestore: `${dir}/pg_restore`, psql: "", source: "test" };
}

function thrown(fn: () => unknown): LifeboatError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof LifeboatError, `expected a LifeboatError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected an error");
}

describe("parseVersionOutput", () => {
  test("reads Debian, plain, old-style and beta version lines", () => {
    assert.deepEqual(parseVersionOutput("pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)\n"), {
      version: "15.14",
      major: 15,
    });
    assert.deepEqual(parseVersionOutput("postgres (PostgreSQL) 18.4"), { version: "18.4", major: 18 });
    assert.deepEqual(parseVersionOutput("pg_dump (PostgreSQL) 9.6.24"), { version: "9.6.24", major: 9 });
    assert.deepEqual(parseVersionOutput("pg_dump (PostgreSQL) 18beta1"), { version: "18beta1", major: 18 });
    assert.equal(parseVersionOutput("bash: pg_dump: command not found"), null);
  });
  test("orders minors numerically and betas before releases", () => {
    assert.ok(compareVersions("16.10", "16.9") > 0);
    assert.ok(compareVersions("18beta1", "18.0") < 0);
    assert.equal(compareVersions("17.2", "17.2"), 0);
  });
});

describe("chooseTools", () => {
  const found = [toolset(15, "15.14"), toolset(16, "16.2"), toolset(16, "16.9"), toolset(17, "17.0")];

  test("picks the lowest major at least the server's, newest minor within it", () => {
    assert.equal(chooseTools(found, 16, "16.4").version, "16.9");
    assert.equal(chooseTools(found, 15, "15.1").version, "15.14");
    assert.equal(chooseTools(found, 14, "14.11").version, "15.14");
    assert.equal(chooseTools(found, 17, "17.2").version, "17.0");
  });

  test("refuses a server newer than every pg_dump, naming the server and every toolset", () => {
    const e = thrown(() => chooseTools(found, 18, "18.4", "linux"));
    assert.equal(e.code, "TOOLS_TOO_OLD");
    assert.match(e.message, /18\.4/);
    for (const t of found) assert.ok(e.message.includes(t.dir), `message lists ${t.dir}`);
    assert.match(e.hint ?? "", /postgresql-client-18/);
    assert.match(e.hint ?? "", /tools\.pgBinDir/);
  });

  test("hints per platform", () => {
    assert.match(thrown(() => chooseTools(found, 18, "18.1", "darwin")).hint ?? "", /brew install postgresql@18/);
    assert.match(thrown(() => chooseTools(found, 18, "18.1", "win32")).hint ?? "", /EDB/);
  });

  test("nothing found at all is TOOLS_MISSING", () => {
    const e = thrown(() => chooseTools([], 16, "16.3", "linux"));
    assert.equal(e.code, "TOOLS_MISSING");
    assert.match(e.message, /16\.3/);
  });
});

describe("discoverTools on a fake install tree", () => {
  let root: string;

  async function fakeBin(dir: string, version: string, tools = ["pg_dump", "pg_restore", "psql"]): Promise<void> {
    await mkdir(dir, { recursive: true });
    for (const t of tools) {
      const f = join(dir, t);
      await writeFile(f, `#!/bin/sh\necho "${t} (PostgreSQL) ${version}"\n`);
      await chmod(f, 0o755);
    }
  }

  before(async () => {
    root = await mkdtemp(join(tmpdir(), "lifeboat-tools-"));
    await fakeBin(join(root, "usr/lib/postgresql/14/bin"), "14.12 (Debian 14.12-1)");
    await fakeBin(join(root, "usr/lib/postgresql/17/bin"), "17.5");
    await fakeBin(join(root, "usr/lib/postgresql/16/bin"), "16.3", ["pg_dump"]); // no pg_restore: not a toolset
    await fakeBin(join(root, "brew/opt/postgresql@18/bin"), "18.1", ["pg_dump", "pg_restore"]); // no psql: still a toolset
    await fakeBin(join(root, "configured"), "17.6");
    // The same directory reached through a symlink must be listed once.
    await symlink(join(root, "usr/lib/postgresql/17/bin"), join(root, "linked-bin"));
    // Debian's version-picking wrapper is skipped: the versioned directories speak for themselves.
    await mkdir(join(root, "usr/share/postgresql-common"), { recursive: true });
    await writeFile(
      join(root, "usr/share/postgresql-common/pg_wrapper"),
      "#!/bin/sh\necho 'pg_dump (PostgreSQL) 17.5'\n",
    );
    await chmod(join(root, "usr/share/postgresql-common/pg_wrapper"), 0o755);
    await mkdir(join(root, "usr/bin"), { recursive: true });
    await symlink(join(root, "usr/share/postgresql-common/pg_wrapper"), join(root, "usr/bin/pg_dump"));
    await symlink(join(root, "usr/share/postgresql-common/pg_wrapper"), join(root, "usr/bin/pg_restore"));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test("finds every complete toolset once, newest first, with versions from pg_dump --version", async () => {
    const found = await discoverTools({
      configuredDir: join(root, "configured"),
      env: { PATH: [join(root, "linked-bin"), join(root, "usr/bin"), "/nonexistent"].join(":") },
      platform: "linux",
      wellKnown: [
        { dir: join(root, "usr/lib/postgresql/*/bin"), source: "Debian/Ubuntu package" },
        { dir: join(root, "brew/opt/postgresql@*/bin"), source: "Homebrew" },
      ],
    });
    assert.deepEqual(
      found.map((t) => [t.major, t.version, t.dir, t.source]),
      [
        [18, "18.1", join(root, "brew/opt/postgresql@18/bin"), "Homebrew"],
        [17, "17.6", join(root, "configured"), "profile tools.pgBinDir"],
        [17, "17.5", join(root, "linked-bin"), "PATH"],
        [14, "14.12", join(root, "usr/lib/postgresql/14/bin"), "Debian/Ubuntu package"],
      ],
    );
    const brew = found[0] as PgToolset;
    assert.equal(brew.psql, "");
    assert.equal((found[3] as PgToolset).psql, join(root, "usr/lib/postgresql/14/bin/psql"));
    assert.equal(chooseTools(found, 16, "16.3").version, "17.6");
  });
});
