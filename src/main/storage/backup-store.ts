import type { Readable } from "node:stream";

export interface StoredObject {
  key: string;
  bytes: number;
  lastModified: Date;
  /** S3's ETag, when the store has one: changes whenever the object is rewritten. */
  etag?: string;
}

export interface PutProgress {
  bytes: number;
}

/** A write begun and never finished: an S3 multipart upload, a folder's .partial file. Billed or taking space. */
export interface UnfinishedUpload {
  /** The store's own handle for it: the multipart upload id, the partial file's name. */
  id: string;
  /** The object key it was for, relative to the store's root. */
  key: string;
  started: Date;
}

/**
 * Where backups live: an S3 bucket (and prefix) or a local folder. Keys are relative to the store's root,
 * always with "/" separators. No implementation ever logs or returns a credential.
 */
export interface BackupStore {
  /** A human description with no secrets, e.g. "s3://bucket/prefix" or "folder:/mnt/usb/lifeboat". */
  readonly description: string;
  /**
   * Streams body to key. Large bodies go up in multipart parts sized from sizeHint so that even the
   * largest plausible object fits in 10,000 parts. On any failure the partial upload is aborted
   * (S3) or the temporary file removed (folder) and the error rethrown.
   */
  putStream(
    key: string,
    body: Readable,
    opts?: { sizeHint?: number; onProgress?: (p: PutProgress) => void; signal?: AbortSignal },
  ): Promise<{ bytes: number }>;
  /** Writes a small object in one request (manifests). */
  putSmall(key: string, body: Buffer | string, contentType?: string): Promise<void>;
  getStream(key: string, opts?: { signal?: AbortSignal }): Promise<Readable>;
  getSmall(key: string): Promise<Buffer>;
  /** null when the object does not exist. */
  head(key: string): Promise<{ bytes: number } | null>;
  list(prefix: string): Promise<StoredObject[]>;
  delete(key: string): Promise<void>;
  /** Cheap check that the store is reachable and writable credentials are accepted (bucket exists, folder exists). */
  check(): Promise<void>;
  /** Writes under the store's root that were begun and never finished (what a killed backup leaves). */
  listUnfinished(): Promise<UnfinishedUpload[]>;
  /** Aborts one (deletes its parts). */
  abortUnfinished(u: UnfinishedUpload): Promise<void>;
}
