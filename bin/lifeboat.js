#!/usr/bin/env node
// `npx lifeboat` from a fresh clone, with no build step: cli-loader.js runs the TypeScript sources, bundled on first use.
import { loadCliMain } from "./cli-loader.js";

// The SDK's "Node 22 needed from 2027" notice would land in the middle of an operator's output; the README says it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const main = await loadCliMain();
process.exitCode = await main(process.argv.slice(2));
