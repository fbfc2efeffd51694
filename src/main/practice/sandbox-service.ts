// `lifeboat sandbox` as an engine operation: start (or resume) the local Neon sandbox, stage an incident, and keep it
// serving in this process until sandbox.stop (or, with serve false, stop it again at once). What a profile needs to
// point at it comes back; its API key only to a terminal, since it opens the sandbox's API.
import { LifeboatError } from "../../shared/errors.ts";
import { INCIDENT_KINDS, startSandbox, type IncidentKind, type Sandbox } from "../sandbox/index.ts";
import { sandboxDirOf } from "../session/session-places.ts";

/** The environment variable a profile's neon.apiKey points at ("env:LIFEBOAT_SANDBOX_API_KEY"). */
export const SANDBOX_KEY_ENV = "LIFEBOAT_SANDBOX_API_KEY";

const serving = new Map<string, Sandbox>();

export interface SandboxStartOptions {
  dir?: string;
  reset?: boolean;
  scale?: number;
  port?: number;
  retentionHours?: number;
  /** One of INCIDENT_KINDS; anything else is refused before the sandbox starts. */
  incident?: string;
  /** Keep serving until sandbox.stop; false: set up, stage the incident, stop. */
  serve: boolean;
}

export interface SandboxHooks {
  env: NodeJS.ProcessEnv;
  say?: (line: string) => void;
  /** Only a terminal that may see it gets a key the sandbox made itself (shown once). */
  revealKey?: (key: string) => void;
}

export async function startSandboxService(opts: SandboxStartOptions, hooks: SandboxHooks) {
  if (opts.incident !== undefined && !INCIDENT_KINDS.includes(opts.incident as IncidentKind))
    throw new LifeboatError(
      "USAGE",
      `unknown incident "${opts.incident}"`,
      `Choose one of: ${INCIDENT_KINDS.join(", ")}.`,
    );
  const dir = sandboxDirOf({ ...(opts.dir ? { sandboxDir: opts.dir } : {}), env: hooks.env });
  if (serving.has(dir))
    throw new LifeboatError("USAGE", `the sandbox in ${dir} is already serving`, "Stop it first (sandbox.stop).");
  const say = hooks.say;
  const keyFromEnv = hooks.env[SANDBOX_KEY_ENV];
  const sandbox = await startSandbox({
    dir,
    ...(opts.reset ? { reset: true } : {}),
    ...(opts.scale ? { scale: opts.scale } : {}),
    ...(opts.port ? { port: opts.port } : {}),
    ...(opts.retentionHours ? { historyRetentionSeconds: Math.round(opts.retentionHours * 3600) } : {}),
    ...(keyFromEnv ? { apiKey: keyFromEnv } : {}),
    ...(say ? { say } : {}),
    ...(opts.serve && say
      ? {
          onRequest: (r) =>
            say(`  ${r.method} ${r.path.split("?")[0]} -> ${r.status}${r.operationId ? ` (${r.operationId})` : ""}`),
        }
      : {}),
  });
  try {
    const incident = opts.incident ? await sandbox.stageIncident(opts.incident as IncidentKind) : undefined;
    const window = await sandbox.historyWindow();
    if (!keyFromEnv) hooks.revealKey?.(sandbox.apiKey);
    const info = {
      dir: sandbox.dir,
      resumed: sandbox.resumed,
      serving: opts.serve,
      apiUrl: sandbox.apiUrl,
      proxyPort: sandbox.proxyPort,
      projectId: sandbox.projectId,
      defaultBranchId: sandbox.defaultBranchId,
      database: sandbox.database,
      role: sandbox.role,
      pgVersion: sandbox.pgVersion,
      earliestRestorable: window.earliest.toISOString(),
      apiKeyEnv: SANDBOX_KEY_ENV,
      apiKeyFromEnv: !!keyFromEnv,
      profileNeon: {
        projectId: sandbox.projectId,
        apiKey: `env:${SANDBOX_KEY_ENV}`,
        apiHost: sandbox.apiUrl,
        database: sandbox.database,
        role: sandbox.role,
      },
      incidents: sandbox.incidents(),
      ...(incident ? { incident } : {}),
    };
    if (opts.serve) serving.set(dir, sandbox);
    else await sandbox.stop();
    return info;
  } catch (e) {
    await sandbox.stop().catch(() => undefined);
    throw e;
  }
}

/** Stops the sandbox serving from `dir` (WAL archived first). False when none serves there. */
export async function stopSandboxService(
  dir: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ stopped: boolean }> {
  const key = sandboxDirOf({ ...(dir ? { sandboxDir: dir } : {}), env });
  const sandbox = serving.get(key);
  if (!sandbox) return { stopped: false };
  serving.delete(key);
  await sandbox.stop();
  return { stopped: true };
}
