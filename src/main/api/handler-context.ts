import { dirname, join } from "node:path";
import type { Writable } from "node:stream";
import type { ChannelName } from "../../shared/api/channels.ts";
import type { ProgressEvent } from "../../shared/api/bridge.ts";
import { getProfile, loadConfig } from "../config/config-store.ts";
import { redactDeep, redactText } from "../secrets/redact.ts";
import type { ApiDeps, HandlerContext } from "./api-deps.ts";
import type { ManifestCache } from "../storage/manifest-cache.ts";
import type { SessionJournal } from "./session-journal.ts";

export interface CallScope {
  channel: ChannelName;
  operationId: string;
  signal: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  onNote?: (text: string) => void;
  output?: Writable;
  reveal?: (name: string, value: string) => void;
}

/** One handler call's context: the session's deps, its journal and config, and an engine context for this call. */
export function handlerContext(
  deps: ApiDeps,
  journal: SessionJournal,
  manifests: ManifestCache,
  resolveSecret: (ref: string) => Promise<string>,
  call: CallScope,
): HandlerContext {
  const { channel, operationId, signal, onProgress, onNote, output, reveal } = call;
  return {
    deps,
    channel,
    operationId,
    now: deps.now ?? (() => new Date()),
    ...(output ? { output } : {}),
    ...(reveal ? { reveal } : {}),
    journal: journal.open,
    writableJournal: async () => (deps.readOnly ? undefined : journal.open()),
    reader: journal.reader,
    exportsDir: () => deps.exportsDir ?? join(dirname(journal.reader().dir), "exports"),
    config: () => loadConfig(deps.configPath),
    profile: async (name) => getProfile(await loadConfig(deps.configPath), name),
    engine: () => ({
      resolveSecret,
      journal: journal.lazy,
      env: deps.env,
      signal,
      // The session's env decides the temp folder like the process's would (tests run sessions with their own).
      ...(deps.tmpDir || deps.env.TMPDIR ? { tmpDir: deps.tmpDir ?? deps.env.TMPDIR } : {}),
      ...(onProgress ? { onProgress: (progress) => onProgress(redactDeep({ operationId, channel, progress })) } : {}),
      ...(onNote ? { onNote: (text: string) => onNote(redactText(text)) } : {}),
    }),
    // The storage clients (the AWS SDK) load only when a call needs a store, not with every router.
    store: async (profile) => {
      const { profileStore } = await import("../engine/profile-runtime.ts");
      return manifests.wrap(await profileStore(profile, { resolveSecret, env: deps.env }));
    },
  };
}
