// A console to drive from Chromium: the Neon sandbox (real PostgreSQL with point-in-time recovery), a local S3, an age
// key pair, a config whose one profile points at all of it by reference, a journal, the browser host serving the
// freshly built screens, and a headless Debian Chromium (no browser download).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { ProfileInput } from "../../src/shared/config.ts";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import { startBrowserHost, type BrowserHost } from "../../src/main/browser-host/start-browser-host.ts";
import { startSandbox, type Sandbox } from "../../src/main/sandbox/index.ts";
import { launchChromium as launchLocalChromium } from "../../src/main/process/chromium.ts";
import { startS3, type S3Harness } from "../harness/s3.ts";
import { buildRendererForTests } from "./build-renderer.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENS_DIR = join(process.cwd(), "test-artifacts", "screens");
export const BUCKET = "lifeboat-e2e";

export interface ConsoleEnv {
  sandbox: Sandbox;
  s3: S3Harness;
  host: BrowserHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  dir: string;
  profile: ProfileInput;
  /** Every secret value the engine holds: the renderer must never receive any of them. */
  secrets: string[];
  screenshot(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Why the e2e tests cannot run here, or null when they can. */
export function e2eSkipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `Debian's Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  return null;
}

export async function launchChromium(): Promise<Browser> {
  return launchLocalChromium({ executablePath: CHROMIUM });
}

export async function startConsoleEnv(
  opts: {
    colorScheme?: "light" | "dark";
    drillOffsetHours?: number;
    /** The profile's replicas (e.g. a folder standing for another region's store). */
    replicas?: ProfileInput["replicas"];
    /** More profiles (e.g. another region's server), and the environment their env: references resolve in. */
    moreProfiles?: ProfileInput[];
    moreEnv?: Record<string, string>;
  } = {},
): Promise<ConsoleEnv> {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-console-e2e-"));
  // As root the sandbox's PostgreSQL runs as "postgres", which must be able to traverse into the sandbox folder.
  await chmod(dir, 0o755);
  const stops: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const apiKey = `napi_${randomBytes(12).toString("hex")}`;
    const sandbox = await startSandbox({
      dir: join(dir, "sandbox"),
      fast: true,
      scale: 1,
      apiKey,
      historyRetentionSeconds: 6 * 3600,
      say: () => undefined,
    });
    stops.push(() => sandbox.stop());
    const s3 = await startS3({ buckets: [BUCKET] });
    stops.push(() => s3.stop());
    const conn = sandbox.connInfo();
    if (!conn) throw new Error("the sandbox's default branch has no compute");
    const { identity, recipient } = generateIdentity();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LB_E2E_DB_PASSWORD: conn.password ?? "",
      LB_E2E_S3_KEY: s3.accessKeyId,
      LB_E2E_S3_SECRET: s3.secretAccessKey,
      LB_E2E_AGE_IDENTITY: identity,
      LB_E2E_NEON_KEY: apiKey,
      ...opts.moreEnv,
    };
    const profile: ProfileInput = {
      name: "sandbox",
      database: {
        host: conn.host,
        port: conn.port,
        database: conn.database,
        user: conn.user,
        password: "env:LB_E2E_DB_PASSWORD",
        sslmode: "disable",
      },
      storage: {
        kind: "s3",
        bucket: BUCKET,
        prefix: "nightly",
        region: "us-east-1",
        endpoint: s3.endpoint,
        forcePathStyle: true,
        accessKeyId: "env:LB_E2E_S3_KEY",
        secretAccessKey: "env:LB_E2E_S3_SECRET",
      },
      encryption: { recipients: [recipient], identity: "env:LB_E2E_AGE_IDENTITY" },
      neon: {
        projectId: sandbox.projectId,
        apiKey: "env:LB_E2E_NEON_KEY",
        apiHost: sandbox.apiUrl,
        database: sandbox.database,
        role: sandbox.role,
        requiredRecoveryWindowHours: 4,
        ...(opts.drillOffsetHours ? { drill: { offsetHours: opts.drillOffsetHours } } : {}),
      },
      contacts: [
        { role: "Database Admin", name: "Amal Haddad", contact: "+1 555 0100" },
        { role: "DevOps Lead", name: "Sam Ortiz", contact: "sam@example.org" },
        { role: "Neon Support", name: "Neon Team", contact: "support@neon.tech" },
      ],
      ...(opts.replicas ? { replicas: opts.replicas } : {}),
    };
    const configPath = join(dir, "config.json");
    await writeFile(
      configPath,
      JSON.stringify({ version: 1, profiles: [profile, ...(opts.moreProfiles ?? [])] }, null, 2),
      { mode: 0o600 },
    );
    const rendererDir = await buildRendererForTests();
    const host = await startBrowserHost({
      configPath,
      journalDir: join(dir, "journal"),
      env,
      rendererDir,
      build: false,
      sandbox: true,
      exportsDir: join(dir, "exports"),
    });
    stops.push(() => host.close());
    const browser = await launchChromium();
    stops.push(() => browser.close());
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      colorScheme: opts.colorScheme ?? "light",
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await mkdir(SCREENS_DIR, { recursive: true });
    return {
      sandbox,
      s3,
      host,
      browser,
      context,
      page,
      dir,
      profile,
      secrets: [conn.password ?? "", s3.secretAccessKey, identity, apiKey].filter((s) => s.length >= 8),
      screenshot: async (name) => {
        // Only the screen scrolls inside the app, so the window is made as tall as the screen's content first.
        const path = join(SCREENS_DIR, `${name}.png`);
        const size = page.viewportSize() ?? { width: 1400, height: 1000 };
        const content = await page.getByRole("main").evaluate((el) => {
          el.scrollTop = 0;
          return el.scrollHeight + el.getBoundingClientRect().top;
        });
        await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(content)) });
        await page.screenshot({ path });
        await page.setViewportSize(size);
        return path;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
