// The journal as a session holds it: opened for writing only when something is first recorded, so a CLI command that
// only reads (journal list, incident status) never takes the writer, and a read-only session never writes at all.
import { LifeboatError } from "../../shared/errors.ts";
import { openJournalReader, type Journal, type JournalReader, type OpenJournal } from "../journal/journal.ts";
import type { ApiDeps } from "./api-deps.ts";

export interface SessionJournal {
  /** Opens the writer on first call. */
  open(): Promise<OpenJournal>;
  /** Appends open the writer on first use; for engine contexts, which record operations as they run (and may read). */
  lazy: Journal & Pick<JournalReader, "query" | "lines">;
  reader(): JournalReader;
}

export function sessionJournal(deps: Pick<ApiDeps, "journal" | "journalDir" | "readOnly">): SessionJournal {
  let opened: OpenJournal | undefined = typeof deps.journal === "function" ? undefined : deps.journal;
  let opening: Promise<OpenJournal> | undefined;
  let plain: JournalReader | undefined;
  const open = (): Promise<OpenJournal> => {
    if (opened) return Promise.resolve(opened);
    if (deps.readOnly)
      return Promise.reject(
        new LifeboatError(
          "USAGE",
          "This journal was opened to be read only; nothing can be recorded in it.",
          "Run the command without --dir to record in your own journal.",
        ),
      );
    const openFn = deps.journal as () => Promise<OpenJournal>;
    opening ??= openFn().then((j) => (opened = j));
    return opening;
  };
  return {
    open,
    lazy: {
      append: async (e) => (await open()).append(e),
      step: async (entry, fn, summarize) => (await open()).step(entry, fn, summarize),
      // The session closes its journal; an operation never does.
      close: async () => undefined,
      // What an operation reads (the drill's last passing run) comes through the open writer once there is one.
      query: (q) => reader().query(q),
      // An operation copying its own records to the store (a backup's audit trail off-site) reads them back.
      lines: (q) => reader().lines(q),
    },
    reader,
  };
  function reader(): JournalReader {
    if (opened) return opened;
    if (!deps.journalDir) throw new Error("a lazily opened journal needs deps.journalDir");
    plain ??= openJournalReader(deps.journalDir);
    return plain;
  }
}
