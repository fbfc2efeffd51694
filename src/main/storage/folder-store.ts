import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Transform, Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupStore, PutProgress, StoredObject, UnfinishedUpload } from "./backup-store.ts";
import { joinListPrefix, keySegments } from "./object-key.ts";

// A backup store on a USB drive or NAS mount. Every write lands in "<key>.partial-<random>" and is renamed into
// place only after it is fsynced, so a pulled cable or a full disk never leaves something that looks like a backup.

const PARTIAL = /\.partial-[0-9a-f]+$/;
const PROGRESS_EVERY = 4 * 1024 * 1024;

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

export class FolderStore implements BackupStore {
  readonly description: string;
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.description = `folder:${this.root}`;
  }

  private path(key: string): string {
    return join(this.root, ...keySegments(key));
  }

  private fsError(e: unknown, action: string, key?: string): LifeboatError {
    if (e instanceof LifeboatError) return e;
    const code = errno(e);
    const details = { folder: this.root, ...(key ? { key } : {}), ...(code ? { errno: code } : {}) };
    const opts = { cause: e };
    switch (code) {
      case "ENOENT":
        if (key && action.startsWith("reading"))
          return new LifeboatError(
            "BACKUP_NOT_FOUND",
            `${key} does not exist in folder ${this.root}`,
            "list the backups to see which ones exist",
            details,
          );
        return new LifeboatError(
          "STORAGE_UNREACHABLE",
          `folder ${this.root} went away while ${action}`,
          "is the drive still mounted? Reconnect it and retry",
          details,
          opts,
        );
      case "ENOSPC":
      case "EDQUOT":
        return new LifeboatError(
          "STORAGE_ERROR",
          `the drive holding ${this.root} is full (while ${action})`,
          "free some space (delete old backups) or use a larger drive",
          details,
          opts,
        );
      case "EACCES":
      case "EPERM":
        return new LifeboatError(
          "STORAGE_AUTH",
          `no permission for folder ${this.root} (while ${action})`,
          "check the folder's owner and permissions for the user Lifeboat runs as",
          details,
          opts,
        );
      case "EROFS":
        return new LifeboatError(
          "STORAGE_ERROR",
          `folder ${this.root} is on a read-only file system`,
          "remount the drive read-write, or choose another folder",
          details,
          opts,
        );
      case "EIO":
      case "ENXIO":
      case "ENODEV":
      case "ESTALE":
        return new LifeboatError(
          "STORAGE_UNREACHABLE",
          `I/O error on folder ${this.root} while ${action} (${code})`,
          "was the drive unplugged or the NAS disconnected? Check it and retry",
          details,
          opts,
        );
      default:
        return new LifeboatError(
          "STORAGE_ERROR",
          `folder ${this.root}: ${action} failed: ${(e as Error)?.message ?? String(e)}`,
          "check the drive and retry",
          details,
          opts,
        );
    }
  }

  /**
   * The root must already exist: it is never created, because when a USB drive is not mounted, creating its
   * folder would quietly put the backups on the laptop's own disk.
   */
  private async requireRoot(): Promise<void> {
    let isDir: boolean;
    try {
      isDir = (await stat(this.root)).isDirectory();
    } catch (e) {
      if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") {
        throw new LifeboatError(
          "STORAGE_UNREACHABLE",
          `folder ${this.root} does not exist — is the drive mounted?`,
          "mount the drive (or create the folder) and retry",
          { folder: this.root },
        );
      }
      throw this.fsError(e, "opening the folder");
    }
    if (!isDir)
      throw new LifeboatError(
        "STORAGE_ERROR",
        `${this.root} is not a folder`,
        "point the profile's storage path at a folder",
        { folder: this.root },
      );
  }

  /**
   * Writes through a temporary file, fsyncs it, renames it into place and fsyncs the directory, so the object
   * appears whole or not at all, even across a power cut. Errors thrown by `write` that are not the file's own
   * (the caller's stream failing, an abort) are rethrown untouched.
   */
  private async writeAtomic(
    key: string,
    action: string,
    write: (fh: FileHandle, markFileError: (e: unknown) => void) => Promise<void>,
  ): Promise<void> {
    await this.requireRoot();
    const final = this.path(key);
    const dir = dirname(final);
    const tmp = `${final}.partial-${randomBytes(6).toString("hex")}`;
    let fh: FileHandle | undefined;
    let fileError: unknown;
    try {
      try {
        await mkdir(dir, { recursive: true });
        fh = await open(tmp, "wx");
      } catch (e) {
        throw this.fsError(e, action, key);
      }
      await write(fh, (e) => (fileError = e));
      try {
        await fh.sync();
        await fh.close();
        fh = undefined;
        await rename(tmp, final);
      } catch (e) {
        throw this.fsError(e, action, key);
      }
      await syncDir(dir);
    } catch (e) {
      await fh?.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
      throw e === fileError ? this.fsError(e, action, key) : e;
    }
  }

  async putStream(
    key: string,
    body: Readable,
    opts: { sizeHint?: number; onProgress?: (p: PutProgress) => void; signal?: AbortSignal } = {},
  ): Promise<{ bytes: number }> {
    let bytes = 0;
    let reported = 0;
    const onProgress = opts.onProgress;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (onProgress && bytes - reported >= PROGRESS_EVERY) {
          reported = bytes;
          onProgress({ bytes });
        }
        cb(null, chunk);
      },
    });
    try {
      await this.writeAtomic(key, `writing ${key}`, async (fh, markFileError) => {
        // Not fh.createWriteStream(): a stream that does not close the handle keeps it referenced, and then
        // fh.close() never resolves; one that does closes it before the fsync.
        const out = new Writable({
          write(chunk: Buffer, _enc, cb) {
            fh.writeFile(chunk).then(
              () => cb(),
              (e: unknown) => {
                markFileError(e);
                cb(e as Error);
              },
            );
          },
        });
        await pipeline(body, counter, out, opts.signal ? { signal: opts.signal } : {});
      });
    } catch (e) {
      if (!body.destroyed) body.destroy();
      throw e;
    }
    if (onProgress && reported !== bytes) onProgress({ bytes });
    return { bytes };
  }

  async putSmall(key: string, body: Buffer | string, _contentType?: string): Promise<void> {
    await this.writeAtomic(key, `writing ${key}`, async (fh, markFileError) => {
      try {
        await fh.writeFile(body);
      } catch (e) {
        markFileError(e);
        throw e;
      }
    });
  }

  async getStream(key: string, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    await this.requireRoot();
    const stream = createReadStream(this.path(key), opts.signal ? { signal: opts.signal } : {});
    try {
      await once(stream, "open");
    } catch (e) {
      stream.destroy();
      if (opts.signal?.aborted) throw e;
      throw this.fsError(e, `reading ${key}`, key);
    }
    return stream;
  }

  async getSmall(key: string): Promise<Buffer> {
    await this.requireRoot();
    try {
      return await readFile(this.path(key));
    } catch (e) {
      throw this.fsError(e, `reading ${key}`, key);
    }
  }

  async head(key: string): Promise<{ bytes: number } | null> {
    await this.requireRoot();
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? { bytes: s.size } : null;
    } catch (e) {
      if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") return null;
      throw this.fsError(e, `checking ${key}`, key);
    }
  }

  /** Keys that start with prefix (a string prefix, like S3's), sorted like S3 lists them; temporary files are skipped. */
  async list(prefix: string): Promise<StoredObject[]> {
    return this.files(prefix, false);
  }

  /** Partial files older than a minute: a live write touches its file far more often than that. */
  async listUnfinished(): Promise<UnfinishedUpload[]> {
    const stale = Date.now() - 60_000;
    return (await this.files("", true))
      .filter((f) => f.lastModified.getTime() < stale)
      .map((f) => ({ id: f.key, key: f.key.replace(PARTIAL, ""), started: f.lastModified }));
  }

  async abortUnfinished(u: UnfinishedUpload): Promise<void> {
    if (!PARTIAL.test(u.id)) throw new LifeboatError("INTERNAL", `${u.id} is not a partial file`);
    try {
      await rm(this.path(u.id), { force: true });
    } catch (e) {
      throw this.fsError(e, `removing ${u.id}`, u.id);
    }
  }

  /** Finished objects under `prefix` (or, with `partials`, only the .partial files of unfinished writes). */
  private async files(prefix: string, partials: boolean): Promise<StoredObject[]> {
    await this.requireRoot();
    const want = joinListPrefix("", prefix);
    // Start at the deepest folder the prefix names, so listing "backups/2024/" does not walk the whole drive.
    const startSegments = want.split("/").slice(0, -1);
    const out: StoredObject[] = [];
    const walk = async (rel: string[]): Promise<void> => {
      let entries;
      try {
        entries = await readdir(join(this.root, ...rel), { withFileTypes: true });
      } catch (e) {
        if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") return;
        throw this.fsError(e, "listing backups");
      }
      for (const entry of entries) {
        const key = [...rel, entry.name].join("/");
        if (entry.isDirectory()) {
          if (want.startsWith(`${key}/`) || key.startsWith(want) || `${key}/`.startsWith(want))
            await walk([...rel, entry.name]);
        } else if (entry.isFile() && key.startsWith(want) && PARTIAL.test(entry.name) === partials) {
          try {
            const s = await stat(join(this.root, ...rel, entry.name));
            out.push({ key, bytes: s.size, lastModified: s.mtime });
          } catch (e) {
            // Deleted between readdir and stat: it is simply not there any more.
            if (errno(e) !== "ENOENT") throw this.fsError(e, "listing backups");
          }
        }
      }
    };
    await walk(startSegments);
    // S3 orders by UTF-8 bytes; plain string comparison matches that for the ASCII keys Lifeboat writes.
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await this.requireRoot();
    try {
      await rm(this.path(key), { force: true });
    } catch (e) {
      throw this.fsError(e, `deleting ${key}`, key);
    }
  }

  /** The folder exists and a file can be created, synced and removed in it. */
  async check(): Promise<void> {
    await this.requireRoot();
    const probe = join(this.root, `.lifeboat-write-check.partial-${randomBytes(6).toString("hex")}`);
    try {
      const fh = await open(probe, "wx");
      try {
        await fh.writeFile("lifeboat write check\n");
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw this.fsError(e, "checking that the folder is writable");
    } finally {
      await rm(probe, { force: true }).catch(() => undefined);
    }
  }
}

/** Makes a rename durable. Some file systems (network mounts, Windows) cannot fsync a directory; that is not an error. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, "r");
    await fh.sync();
  } catch {
    // best effort: the data itself was fsynced before the rename
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
