import { test } from "node:test";
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { defaultConfigPath, resolveConfigPath } from "../../../src/main/config/config-path.ts";

test("--config wins over LIFEBOAT_CONFIG, which wins over the default", () => {
  const env = { LIFEBOAT_CONFIG: "/etc/lifeboat/from-env.json" };
  assert.equal(resolveConfigPath({ flag: "/srv/flag.json", env }), "/srv/flag.json");
  assert.equal(resolveConfigPath({ env }), "/etc/lifeboat/from-env.json");
  assert.equal(resolveConfigPath({ env: {} }), defaultConfigPath());
  assert.equal(
    resolveConfigPath({ flag: "", env: { LIFEBOAT_CONFIG: "" } }),
    defaultConfigPath(),
    "empty values count as unset",
  );
});

test("relative paths are made absolute against the working directory", () => {
  assert.equal(resolveConfigPath({ flag: "conf/l.json", env: {} }), resolve("conf/l.json"));
  assert.equal(resolveConfigPath({ env: { LIFEBOAT_CONFIG: "l.json" } }), resolve("l.json"));
});

test(
  "the default follows XDG_CONFIG_HOME on Linux, with no -nodejs suffix",
  { skip: process.platform !== "linux" && "XDG applies to Linux" },
  () => {
    const before = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = "/tmp/xdg-config-test";
    try {
      assert.equal(defaultConfigPath(), join("/tmp/xdg-config-test", "lifeboat", "config.json"));
    } finally {
      if (before === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = before;
    }
  },
);
