// Multipart part sizing for objects whose length is unknown up front (a compressed, encrypted stream).
// S3 allows at most 10,000 parts of at most 5 GiB each, so the part size must be chosen before the first byte is sent.
// The uploader (s3-part-uploader.ts) holds queueSize + 1 parts in memory, so parts are kept as small as the size
// allows: memory, not throughput, is what a too-large part costs.

export const MAX_PARTS = 10_000;
export const MIN_PART = 8 * 1024 * 1024;
/** S3's largest allowed part. */
export const MAX_PART = 5 * 1024 * 1024 * 1024;
const MIB = 1024 * 1024;

/** The largest object a given part size can carry. With no hint (MIN_PART) that is 8 MiB x 10,000 = ~78 GiB. */
export function maxObjectBytes(partSize: number): number {
  return partSize * MAX_PARTS;
}

/**
 * sizeHint is an upper-bound estimate of the object's size (the backup passes 2 x pg_database_size, since a
 * compressed dump is smaller than the database). 10% headroom covers an estimate that was a little low.
 * Without a hint the part is MIN_PART, which caps the object at ~78 GiB: assuming S3's 5 TB maximum instead would
 * mean 525 MiB parts and over a GiB of memory for every upload, however small. Callers always pass a hint.
 */
export function choosePartSize(sizeHint: number | undefined): number {
  if (sizeHint === undefined || !Number.isFinite(sizeHint) || sizeHint <= 0) return MIN_PART;
  const needed = Math.ceil((sizeHint * 1.1) / MAX_PARTS);
  const rounded = Math.ceil(needed / MIB) * MIB;
  return Math.min(MAX_PART, Math.max(MIN_PART, rounded));
}
