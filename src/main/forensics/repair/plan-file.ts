// A repair plan on disk: one JSONL file, its first line the header (tables, counts, drift, warnings), then one line
// per damaged row with its values in each state. Rows stream to a side file while the comparison runs (memory stays
// flat however many rows the incident touched) and the header is written in front once the counts are known. The
// file's sha256 is its digest, journaled with the plan and checked again before it is applied.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { LifeboatError } from "../../../shared/errors.ts";
import { PlanEntry, PlanHeader } from "../../../shared/repair-plan.ts";

const MAGIC = "lifeboatRepairPlan";

export function newPlanId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `plan-${t}-${randomBytes(3).toString("hex")}`;
}

export function planPath(dir: string, planId: string): string {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(planId) || planId.includes(".."))
    throw new LifeboatError("USAGE", `"${planId}" is not a plan id`, "Plan ids look like plan-20260117-143540-a1b2c3.");
  return join(dir, `${planId}.plan.jsonl`);
}

export class PlanWriter {
  private rows: FileHandle | null = null;
  private buf: string[] = [];
  private bufBytes = 0;
  count = 0;

  private constructor(
    readonly dir: string,
    readonly planId: string,
  ) {}

  static async create(dir: string, planId: string): Promise<PlanWriter> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const w = new PlanWriter(dir, planId);
    w.rows = await open(w.rowsPath, "w", 0o600);
    return w;
  }

  private get rowsPath(): string {
    return join(this.dir, `${this.planId}.rows.tmp`);
  }

  async add(e: PlanEntry): Promise<void> {
    const line = JSON.stringify(e) + "\n";
    this.buf.push(line);
    this.bufBytes += line.length;
    this.count++;
    if (this.bufBytes > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const text = this.buf.join("");
    this.buf = [];
    this.bufBytes = 0;
    await this.rows!.write(text);
  }

  /** Writes header + rows into the plan file; returns its path and sha256. */
  async finish(header: PlanHeader): Promise<{ path: string; digest: string; bytes: number }> {
    await this.flush();
    await this.rows!.close();
    this.rows = null;
    const path = planPath(this.dir, this.planId);
    const tmp = `${path}.tmp`;
    const hash = createHash("sha256");
    const out = await open(tmp, "w", 0o600);
    let bytes = 0;
    try {
      const head = Buffer.from(JSON.stringify({ [MAGIC]: 1, ...header }) + "\n");
      hash.update(head);
      await out.write(head);
      bytes += head.length;
      for await (const chunk of createReadStream(this.rowsPath)) {
        const b = chunk as Buffer;
        hash.update(b);
        await out.write(b);
        bytes += b.length;
      }
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, path);
    await rm(this.rowsPath, { force: true });
    return { path, digest: hash.digest("hex"), bytes };
  }

  async discard(): Promise<void> {
    await this.rows?.close().catch(() => {});
    await rm(this.rowsPath, { force: true });
  }
}

function notFound(path: string): LifeboatError {
  return new LifeboatError(
    "PLAN_NOT_FOUND",
    `no repair plan at ${path}`,
    "Make one with `lifeboat forensics plan` (the console's Scenario 1 does it for you); plans live next to the journal, in plans/.",
  );
}

async function* lines(path: string): AsyncGenerator<string> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) if (line) yield line;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw notFound(path);
    throw e;
  } finally {
    rl.close();
    stream.destroy();
  }
}

export async function readPlanHeader(path: string): Promise<PlanHeader> {
  for await (const line of lines(path)) {
    const raw = JSON.parse(line) as Record<string, unknown>;
    if (raw[MAGIC] !== 1)
      throw new LifeboatError(
        "PLAN_INVALID",
        `${path} is not a Lifeboat repair plan`,
        "Give the plan id or file `forensics plan` printed.",
      );
    const parsed = PlanHeader.safeParse(raw);
    if (!parsed.success)
      throw new LifeboatError(
        "PLAN_INVALID",
        `the repair plan ${path} has an unreadable header`,
        "Make the plan again.",
      );
    return parsed.data;
  }
  throw notFound(path);
}

/** The plan's rows in file order (table by table, key order within a table). */
export async function* planEntries(path: string): AsyncGenerator<PlanEntry> {
  let first = true;
  for await (const line of lines(path)) {
    if (first) {
      first = false;
      continue;
    }
    yield PlanEntry.parse(JSON.parse(line));
  }
}

export async function fileDigest(path: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw notFound(path);
    throw e;
  }
  return hash.digest("hex");
}
