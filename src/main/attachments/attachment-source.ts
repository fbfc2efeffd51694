// Reading the application's files: a bucket or prefix (S3) or a folder. Each file has a fingerprint (S3's ETag; a
// folder file's size and mtime) by which the next run knows it unchanged, and a read fails with CHANGED when the file
// is no longer the one listed, so a file rewritten while it is copied is never stored half old, half new.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { FolderStore } from "../storage/folder-store.ts";
import { keySegments } from "../storage/object-key.ts";
import { mapS3Error } from "../storage/s3-errors.ts";
import { S3Store } from "../storage/s3-store.ts";

export interface SourceFile {
  key: string;
  bytes: number;
  etag: string;
  lastModified: Date;
}

export class SourceChanged extends Error {
  constructor(readonly key: string) {
    super(`${key} changed while it was being copied`);
  }
}

export interface AttachmentReader {
  description: string;
  list(): Promise<SourceFile[]>;
  /** The file as listed, or SourceChanged. `done` re-checks after the last byte (folders can change under a reader). */
  open(file: SourceFile): Promise<{ body: Readable; done: () => Promise<void> }>;
  /** The file as it is now, for a retry after SourceChanged; null when it is gone. */
  refresh(key: string): Promise<SourceFile | null>;
}

const folderTag = (size: number, mtimeMs: number): string => `${size}-${Math.floor(mtimeMs)}`;

function s3Reader(store: S3Store): AttachmentReader {
  const a = store.s3;
  return {
    description: store.description,
    list: async () =>
      (await store.list("")).map((o) => ({
        key: o.key,
        bytes: o.bytes,
        etag: o.etag ?? `${o.bytes}-${o.lastModified.getTime()}`,
        lastModified: o.lastModified,
      })),
    async open(file) {
      try {
        const out = await a.client.send(
          new GetObjectCommand({ Bucket: a.bucket, Key: a.fullKey(file.key), IfMatch: file.etag }),
        );
        return { body: out.Body as Readable, done: async () => undefined };
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412)
          throw new SourceChanged(file.key);
        throw mapS3Error(e, a.context(`reading attachment ${file.key}`, file.key));
      }
    },
    async refresh(key) {
      try {
        const h = await a.client.send(new HeadObjectCommand({ Bucket: a.bucket, Key: a.fullKey(key) }));
        return { key, bytes: h.ContentLength ?? 0, etag: h.ETag ?? "", lastModified: h.LastModified ?? new Date(0) };
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
        throw mapS3Error(e, a.context(`checking attachment ${key}`, key));
      }
    },
  };
}

function folderReader(store: FolderStore): AttachmentReader {
  const path = (key: string) => join(store.root, ...keySegments(key));
  const current = async (key: string): Promise<SourceFile | null> => {
    const s = await stat(path(key)).catch(() => null);
    return s ? { key, bytes: s.size, etag: folderTag(s.size, s.mtimeMs), lastModified: s.mtime } : null;
  };
  return {
    description: store.description,
    list: async () =>
      (await store.list("")).map((f) => ({
        key: f.key,
        bytes: f.bytes,
        etag: folderTag(f.bytes, f.lastModified.getTime()),
        lastModified: f.lastModified,
      })),
    async open(file) {
      const now = await current(file.key);
      if (!now || now.etag !== file.etag) throw new SourceChanged(file.key);
      const body = await store.getStream(file.key);
      return {
        body,
        done: async () => {
          const after = await current(file.key);
          if (!after || after.etag !== file.etag) throw new SourceChanged(file.key);
        },
      };
    },
    refresh: current,
  };
}

export function attachmentReader(store: BackupStore): AttachmentReader {
  if (store instanceof S3Store) return s3Reader(store);
  if (store instanceof FolderStore) return folderReader(store);
  throw new LifeboatError("INTERNAL", `no attachment reader for ${store.description}`);
}
