// Runs in a child process: starts an RGW cluster, prints its folder and the daemons' PIDs, then dies by SIGKILL, so
// neither stop() nor the exit hook can run. The test checks that the harness's reaper still cleans up.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startRgw } from "../../harness/rgw.ts";

const rgw = await startRgw();
const pids = readFileSync(join(rgw.dir, "pids"), "utf8").trim().split("\n").map(Number);
process.stdout.write(JSON.stringify({ dir: rgw.dir, pids }) + "\n", () => process.kill(process.pid, "SIGKILL"));
