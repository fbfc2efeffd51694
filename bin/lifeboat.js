#!/usr/bin/env node
// The CLI runs straight from TypeScript through tsx, so `npx lifeboat` works from a fresh clone with no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
