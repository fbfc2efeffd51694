import { Transform, type TransformCallback } from "node:stream";
import { Worker } from "node:worker_threads";

// The worker: hashes the batches it is sent, hands each buffer back (for reuse, and as back-pressure), and answers
// null with the digest.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const hash = createHash("sha256");
parentPort.on("message", (m) => {
  if (m === null) return parentPort.postMessage({ digest: hash.digest("hex") });
  hash.update(new Uint8Array(m.buffer, 0, m.length));
  parentPort.postMessage({ acked: m.length, buffer: m.buffer }, [m.buffer]);
});
`;

/** Bytes per message to the worker: few enough messages that posting them costs far less than the hashing. */
const BATCH_BYTES = 1 << 20;
/** Bytes sent and not yet hashed before the stream waits for the worker: memory stays bounded on a slow machine. */
const MAX_OUTSTANDING = 32 << 20;

/**
 * Like HashCounter (passes bytes through, counting them, and knows their sha256 at the end), but the sha256 is
 * computed on a worker thread. The thread that drives the copy then only copies each byte once into a batch, instead
 * of hashing it between the download and the upload: on a replica copy that hash was the main cost above a plain
 * copy (LIFEBOAT_BENCH=protection). `beforeEnd` runs once the digest is known, before the stream ends; an error there
 * fails the stream, so an upload fed by it never completes.
 */
export class ThreadedHashCounter extends Transform {
  bytes = 0;
  private readonly worker: Worker;
  private readonly beforeEnd: (() => Promise<void>) | undefined;
  private batch = Buffer.allocUnsafeSlow(BATCH_BYTES);
  /** Batches the worker has hashed and handed back: at most MAX_OUTSTANDING / BATCH_BYTES are ever allocated. */
  private readonly free: ArrayBuffer[] = [];
  private filled = 0;
  private outstanding = 0;
  private waiting: (() => void) | undefined;
  private digest: string | undefined;
  private readonly digested: Promise<string>;
  private failed: Error | undefined;

  constructor(opts: { beforeEnd?: () => Promise<void> } = {}) {
    super();
    this.beforeEnd = opts.beforeEnd;
    // No loader flags (tsx in tests and benches): the worker is plain JavaScript and starts in a few milliseconds.
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    this.digested = new Promise<string>((resolve, reject) => {
      this.worker.on("message", (m: { acked?: number; buffer?: ArrayBuffer; digest?: string }) => {
        if (m.digest !== undefined) return resolve(m.digest);
        if (m.buffer) this.free.push(m.buffer);
        this.outstanding -= m.acked ?? 0;
        if (this.outstanding <= MAX_OUTSTANDING / 2) this.wake();
      });
      this.worker.on("error", (e) => {
        this.failed = e;
        this.wake();
        reject(e);
      });
    });
    this.digested.catch(() => undefined);
  }

  private wake(): void {
    const r = this.waiting;
    this.waiting = undefined;
    r?.();
  }

  private post(): void {
    if (!this.filled) return;
    const buffer = this.batch.buffer as ArrayBuffer;
    this.worker.postMessage({ buffer, length: this.filled }, [buffer]);
    this.outstanding += this.filled;
    const reused = this.free.pop();
    this.batch = reused ? Buffer.from(reused) : Buffer.allocUnsafeSlow(BATCH_BYTES);
    this.filled = 0;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const n = chunk.copy(this.batch, this.filled, offset);
      offset += n;
      this.filled += n;
      if (this.filled === BATCH_BYTES) this.post();
    }
    this.push(chunk);
    if (this.failed) return cb(this.failed);
    if (this.outstanding <= MAX_OUTSTANDING) return cb();
    this.waiting = () => cb(this.failed);
  }

  override _flush(cb: TransformCallback): void {
    this.post();
    this.worker.postMessage(null);
    this.digested
      .then(async (digest) => {
        this.digest = digest;
        void this.worker.terminate();
        await this.beforeEnd?.();
      })
      .then(
        () => cb(),
        (e: unknown) => cb(e as Error),
      );
  }

  override _destroy(error: Error | null, cb: (error?: Error | null) => void): void {
    void this.worker.terminate();
    cb(error);
  }

  sha256(): string {
    if (!this.digest) throw new Error("sha256 read before the stream ended");
    return this.digest;
  }
}
