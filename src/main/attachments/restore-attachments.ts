import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import type { StorageConfig, Profile } from "../../shared/config.ts";
import type { AttachmentTarget } from "../../shared/api/channels/attachment-channels.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { HashCounter } from "../backup/hash-counter.ts";
import { createAgeDecryptStream } from "../crypto/age-decrypt.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { profileStore, resolveIdentities } from "../engine/profile-runtime.ts";
import { ProgressTracker } from "../engine/progress-tracker.ts";
import { openStore } from "../storage/open-store.ts";
import { findRun } from "./attachment-catalog.ts";
import { putObject } from "./put-object.ts";
import { pool } from "./run-attachments.ts";

export interface AttachmentRestoreRequest {
  set: string;
  run: string;
  target?: AttachmentTarget;
  verifyOnly?: boolean;
  identityText?: string;
}

export interface AttachmentRestoreResult {
  set: string;
  run: string;
  target: string | null;
  objects: number;
  bytes: number;
  verified: boolean;
  durationMs: number;
}

function targetStorage(profile: Profile, setName: string, target: AttachmentTarget | undefined): StorageConfig {
  if (!target) {
    throw new LifeboatError(
      "USAGE",
      "say where the files go: a folder, a new prefix in the source's bucket, or the source itself",
      "e.g. lifeboat attachments restore --set uploads --to-prefix uploads-restored; or verify only.",
    );
  }
  if (target.kind !== "prefix" && target.kind !== "source") return target;
  const set = profile.attachments.find((s) => s.name === setName);
  if (!set) throw new LifeboatError("USAGE", `profile "${profile.name}" has no attachment set "${setName}"`);
  if (target.kind === "source") return set.source;
  if (set.source.kind !== "s3") {
    throw new LifeboatError("USAGE", "a new prefix needs a bucket source; restore into a folder instead");
  }
  return { ...set.source, prefix: target.prefix };
}

/**
 * Restores an attachment set as it was at a run: every file in that run's manifest is decrypted and written to the
 * target (a bucket or prefix, or a folder) under its own key, and counts only if its size and sha256 equal the
 * manifest's; a file that does not is never completed in the target. With verifyOnly nothing is written: every blob
 * is decrypted and checked. Files the target already holds and the run does not are left alone.
 */
export async function restoreAttachments(
  profile: Profile,
  req: AttachmentRestoreRequest,
  ctx: EngineContext,
): Promise<AttachmentRestoreResult> {
  const targetConfig = req.verifyOnly ? undefined : targetStorage(profile, req.set, req.target);
  return ctx.journal.step(
    {
      kind: req.verifyOnly ? "attachments.verify" : "attachments.restore",
      summary: `${req.verifyOnly ? "Verify" : "Restore"} of attachment set ${req.set} as of run ${req.run} (profile ${profile.name})`,
      profile: profile.name,
      details: { set: req.set, run: req.run },
    },
    async () => {
      const t0 = performance.now();
      const store = await profileStore(profile, ctx);
      const m = await findRun(store, profile.name, req.set, req.run);
      if (!m) {
        throw new LifeboatError(
          "BACKUP_NOT_FOUND",
          `attachment set "${req.set}" has no committed run in ${store.description}`,
          "Run `lifeboat attachments run` first.",
        );
      }
      const identities = await resolveIdentities(profile, ctx, req.identityText);
      const target = req.verifyOnly ? null : await openStore(targetConfig!, ctx.resolveSecret);
      const progress = new ProgressTracker(ctx.onProgress, {
        operation: "restore",
        phase: `attachments ${req.set}`,
        totalBytes: m.objects.reduce((a, o) => a + o.bytes, 0),
        tablesDone: 0,
        tablesTotal: m.objects.length,
      });
      let bytes = 0;
      let done = 0;
      await pool(m.objects, 8, async (o) => {
        const plain = new HashCounter({
          beforeEnd: async () => {
            if (plain.bytes !== o.bytes || plain.sha256() !== o.sha256) {
              throw new LifeboatError(
                "OBJECT_CORRUPT",
                `${o.key} decrypts to ${plain.bytes} bytes with sha256 ${plain.sha256().slice(0, 16)}…, not the ${o.bytes} bytes and ${o.sha256.slice(0, 16)}… run ${m.id} recorded`,
                "Restore it from an earlier run, or from a replica.",
              );
            }
          },
        });
        const blob = await store.getStream(o.blob, ctx.signal ? { signal: ctx.signal } : {});
        const decrypting = pipeline(blob, createAgeDecryptStream(identities), plain);
        if (target) {
          const [fed, put] = await Promise.all([
            decrypting.catch((e: unknown) => e),
            putObject(target, o.key, plain, o.bytes, ctx.signal).catch((e: unknown) => e),
          ]);
          if (fed) throw fed;
          if (put) throw put;
        } else {
          await Promise.all([decrypting, pipeline(plain, new Writable({ write: (_c, _e, cb) => cb() }))]);
        }
        bytes += o.bytes;
        progress.update({ bytes, tablesDone: ++done, currentTable: o.key });
      });
      return {
        set: req.set,
        run: m.id,
        target: target?.description ?? null,
        objects: m.objects.length,
        bytes,
        verified: true,
        durationMs: Math.round(performance.now() - t0),
      };
    },
    (r) => ({ run: r.run, target: r.target, objects: r.objects, bytes: r.bytes, verified: r.verified }),
  );
}
