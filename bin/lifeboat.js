#!/usr/bin/env node
// The CLI runs straight from TypeScript through tsx, so `npx lifeboat` works from a fresh clone with no build step.
import { register } from "tsx/esm/api";

// The SDK's "Node 22 needed from 2027" notice would land in the middle of an operator's output; the README says it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("../src/main/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
