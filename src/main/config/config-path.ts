import { join, resolve } from "node:path";
import envPaths from "env-paths";

/** XDG on Linux ($XDG_CONFIG_HOME/lifeboat), ~/Library/Preferences/lifeboat on macOS, %APPDATA%\lifeboat\Config on Windows. */
export function defaultConfigPath(): string {
  return join(envPaths("lifeboat", { suffix: "" }).config, "config.json");
}

/** --config, then LIFEBOAT_CONFIG, then the platform default. */
export function resolveConfigPath(opts: { flag?: string; env?: NodeJS.ProcessEnv }): string {
  const env = opts.env ?? process.env;
  if (opts.flag) return resolve(opts.flag);
  if (env.LIFEBOAT_CONFIG) return resolve(env.LIFEBOAT_CONFIG);
  return defaultConfigPath();
}
