// An attachment run: list the source, copy only what changed since the last run (each file age-encrypted to the
// profile's recipients, its plaintext sha256 taken on the way), then write the run's manifest listing every file,
// last, as its commit marker. Unchanged files point at the blob an earlier run wrote; files gone from the source stay
// in earlier runs' manifests, so they remain restorable for as long as those runs are retained.
import { pipeline } from "node:stream/promises";
import type { z } from "zod";
import {
  ATTACHMENT_FORMAT,
  type AttachmentEntry,
  type AttachmentRunManifest,
  type AttachmentRunSummary,
} from "../../shared/api/channels/attachment-channels.ts";
import type { AttachmentSource, Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { idTime, newBackupId, sha256Hex } from "../backup/backup-layout.ts";
import { lockStored, prepareBackupLock } from "../object-lock/lock-backup.ts";
import { HashCounter } from "../backup/hash-counter.ts";
import { createAgeEncryptStream } from "../crypto/age-encrypt.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { profileStore } from "../engine/profile-runtime.ts";
import { ProgressTracker } from "../engine/progress-tracker.ts";
import { backupRecipients } from "../keys/recipients.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { openStore } from "../storage/open-store.ts";
import { blobKey, listRuns, loadRun, runManifestKey } from "./attachment-catalog.ts";
import { putObject } from "./put-object.ts";
import { attachmentReader, SourceChanged, type AttachmentReader, type SourceFile } from "./attachment-source.ts";

type Summary = z.infer<typeof AttachmentRunSummary>;

const PARALLEL = 8;
const ATTEMPTS = 3;

/** Runs `work` over items with at most `n` at once; the first failure stops every worker and is thrown. */
export async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (!failed && next < items.length) {
        try {
          await work(items[next++]!);
        } catch (e) {
          failed = true;
          throw e;
        }
      }
    }),
  );
}

async function copyOne(
  reader: AttachmentReader,
  store: BackupStore,
  file: SourceFile,
  blob: string,
  recipients: string[],
  signal: AbortSignal | undefined,
): Promise<{ sha256: string; blobBytes: number }> {
  const { body, done } = await reader.open(file);
  const plain = new HashCounter({
    beforeEnd: async () => {
      await done();
      if (plain.bytes !== file.bytes) throw new SourceChanged(file.key);
    },
  });
  const sealed = new HashCounter({ hash: false });
  const feeding = pipeline(body, plain, createAgeEncryptStream(recipients), sealed).catch((e: unknown) => e);
  const putting = putObject(store, blob, sealed, file.bytes + 4096, signal).catch((e: unknown) => e);
  const [fed, put] = await Promise.all([feeding, putting]);
  if (fed) throw fed;
  if (put) throw put;
  return { sha256: plain.sha256(), blobBytes: sealed.bytes };
}

async function runSet(
  profile: Profile,
  set: AttachmentSource,
  store: BackupStore,
  ctx: EngineContext,
  now: () => Date,
): Promise<Summary> {
  const t0 = performance.now();
  const startedAt = now();
  const id = newBackupId(startedAt);
  const recipients = backupRecipients(profile);
  const reader = attachmentReader(await openStore(set.source, ctx.resolveSecret));
  const runIds = await listRuns(store, profile.name, set.name);
  const previous = runIds[0] ? await loadRun(store, profile.name, set.name, runIds[0]) : null;
  // With Object Lock, every blob a run names is locked at least as long as the run's own tier keeps it.
  const lock = await prepareBackupLock(
    profile,
    store,
    startedAt,
    undefined,
    runIds.map((r) => ({ id: r, time: idTime(r)! })),
  );
  const before = new Map((previous?.objects ?? []).map((o) => [o.key, o]));
  const files = (await reader.list()).sort((a, b) => a.key.localeCompare(b.key));

  const entries = new Map<string, AttachmentEntry>();
  const toCopy: SourceFile[] = [];
  for (const f of files) {
    const old = before.get(f.key);
    // An unchanged file (same fingerprint and size) keeps the blob an earlier run wrote, encrypted to whoever was a
    // recipient then; `lifeboat keys check` lists which identity each backup needs.
    if (old && old.etag === f.etag && old.bytes === f.bytes) entries.set(f.key, old);
    else toCopy.push(f);
  }
  if (lock) {
    const short = [...entries.values()].filter((e) => !e.lockUntil || Date.parse(e.lockUntil) < lock.until.getTime());
    await pool(short, PARALLEL, async (e) => {
      await lockStored(lock, e.blob);
      entries.set(e.key, { ...e, lockUntil: lock.until.toISOString() });
    });
  }
  const progress = new ProgressTracker(ctx.onProgress, {
    operation: "backup",
    phase: `attachments ${set.name}`,
    totalBytes: toCopy.reduce((a, f) => a + f.bytes, 0),
    tablesDone: 0,
    tablesTotal: toCopy.length,
  });
  const failed: AttachmentRunManifest["failed"] = [];
  let n = 0;
  let copiedBytes = 0;
  let copied = 0;
  await pool(toCopy, PARALLEL, async (listed) => {
    let file: SourceFile | null = listed;
    let lastError = "";
    for (let attempt = 1; attempt <= ATTEMPTS && file; attempt++) {
      if (ctx.signal?.aborted)
        throw new LifeboatError(
          "BACKUP_FAILED",
          "the attachment run was cancelled; nothing was committed",
          "Run it again.",
        );
      const blob = blobKey(profile.name, set.name, id, ++n);
      try {
        const r = await copyOne(reader, store, file, blob, recipients, ctx.signal);
        if (lock) await lockStored(lock, blob);
        entries.set(file.key, {
          key: file.key,
          bytes: file.bytes,
          sha256: r.sha256,
          etag: file.etag,
          lastModified: file.lastModified.toISOString(),
          blob,
          blobBytes: r.blobBytes,
          copiedIn: id,
          ...(lock ? { lockUntil: lock.until.toISOString() } : {}),
        });
        copied++;
        copiedBytes += file.bytes;
        progress.update({ bytes: copiedBytes, tablesDone: copied, currentTable: file.key });
        return;
      } catch (e) {
        await store.delete(blob).catch(() => undefined);
        if (!(e instanceof SourceChanged)) throw e;
        lastError = `it changed while being copied, ${attempt} time(s)`;
        file = await reader.refresh(listed.key);
      }
    }
    if (!file) return; // deleted while the run went on: it simply is not in this run
    const old = before.get(listed.key);
    if (old) entries.set(listed.key, old);
    failed.push({ key: listed.key, error: lastError, keptPrevious: !!old });
  });

  const objects = [...entries.values()].sort((a, b) => a.key.localeCompare(b.key));
  const present = new Set(files.map((f) => f.key));
  const manifest: AttachmentRunManifest = {
    format: ATTACHMENT_FORMAT,
    profile: profile.name,
    set: set.name,
    id,
    source: reader.description,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    recipients,
    previous: previous?.id ?? null,
    objects,
    deleted: [...before.keys()].filter((k) => !present.has(k)).sort(),
    failed,
    copied,
    copiedBytes,
    unchanged: objects.length - copied - failed.filter((f) => f.keptPrevious).length,
  };
  const body = JSON.stringify(manifest) + "\n";
  const manifestKey = runManifestKey(profile.name, set.name, id);
  await store.putSmall(manifestKey, body, "application/json");
  if (lock) await lockStored(lock, manifestKey);
  return {
    set: set.name,
    id,
    source: reader.description,
    objects: objects.length,
    bytes: objects.reduce((a, o) => a + o.bytes, 0),
    copied,
    copiedBytes,
    unchanged: manifest.unchanged,
    deleted: manifest.deleted,
    failed,
    manifestKey,
    manifestSha256: sha256Hex(body),
    durationMs: Math.round(performance.now() - t0),
  };
}

/** Runs every attachment set of the profile (or the one named), each journaled. */
export async function runAttachments(
  profile: Profile,
  ctx: EngineContext,
  opts: { set?: string; now?: () => Date } = {},
): Promise<Summary[]> {
  const sets = profile.attachments.filter((s) => !opts.set || s.name === opts.set);
  if (!sets.length) {
    throw new LifeboatError(
      "USAGE",
      opts.set
        ? `profile "${profile.name}" has no attachment set "${opts.set}"`
        : `profile "${profile.name}" names no attachments`,
      profile.attachments.length
        ? `Its sets are: ${profile.attachments.map((s) => s.name).join(", ")}.`
        : 'Add "attachments": [{"name": "uploads", "source": {"kind": "s3", "bucket": "…", "prefix": "…"}}] to the profile.',
    );
  }
  const store = await profileStore(profile, ctx);
  const out: Summary[] = [];
  for (const set of sets) {
    out.push(
      await ctx.journal.step(
        {
          kind: "attachments.run",
          summary: `Attachment backup of set ${set.name} (profile ${profile.name})`,
          profile: profile.name,
          details: { set: set.name },
        },
        () => runSet(profile, set, store, ctx, opts.now ?? (() => new Date())),
        (s) => ({ ...s, deleted: s.deleted.length, failed: s.failed }),
      ),
    );
  }
  return out;
}
