import type { ProgressListener } from "../../shared/progress.ts";
import type { Journal } from "../journal/journal.ts";

/** What every engine operation is handed by its face (CLI, browser host, Electron shell). */
export interface EngineContext {
  resolveSecret: (ref: string) => Promise<string>;
  journal: Journal;
  onProgress?: ProgressListener;
  /** Lines for a terminal between progress updates (a retry, a wait for Neon); never secrets. */
  onNote?: (text: string) => void;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Where private temporary files go (mode 0700 folders inside it). Defaults to the OS temp dir. */
  tmpDir?: string;
}
