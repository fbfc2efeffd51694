import { findZstd } from "../../compress/zstd-cli.ts";
import { generateKeyIntoKeychain } from "../../keys/generate-key.ts";
import { discoverTools } from "../../postgres/tools.ts";
import { keychainStatus } from "../../secrets/keychain.ts";
import { deleteSecret, storeSecret } from "../../keys/secret-edits.ts";
import { secretStatus } from "../../secrets/secret-status.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const secretsHandlers: HandlerGroup<
  "secrets.status" | "secrets.set" | "secrets.delete" | "keychain.status" | "keys.generate" | "tools.list"
> = {
  "secrets.status": async ({ profile }, ctx) =>
    secretStatus(profile ? [await ctx.profile(profile)] : (await ctx.config()).profiles, ctx.deps.env),
  "secrets.set": async ({ name, value }, ctx) => storeSecret(name, value, await ctx.journal()),
  "secrets.delete": async ({ name }, ctx) => deleteSecret(name, await ctx.journal()),
  "keychain.status": async () => keychainStatus(),
  "keys.generate": async (req, ctx) => generateKeyIntoKeychain(req, await ctx.journal()),
  "tools.list": async ({ pgBinDir }, ctx) => ({
    postgres: await discoverTools({ ...(pgBinDir ? { configuredDir: pgBinDir } : {}), env: ctx.deps.env }),
    zstd: await findZstd(ctx.deps.env),
  }),
};
