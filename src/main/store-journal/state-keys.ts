// Where Lifeboat keeps its own state in a backup store, beside the backups: "_lifeboat/<profile>/…". Profile names
// start with a letter or digit, so "_lifeboat" can never be a profile's backup folder, and listing a profile's
// backups ("<profile>/") never sees it.
export const STATE_ROOT = "_lifeboat";

const pad = (seq: number): string => String(seq).padStart(12, "0");

export const stateKeys = {
  root: (profile: string): string => `${STATE_ROOT}/${profile}/`,
  /** Journal chunks of one journal (named by its genesis hash). */
  journalDir: (profile: string): string => `${STATE_ROOT}/${profile}/journal/`,
  journalChunk: (profile: string, journalId: string, firstSeq: number, lastSeq: number): string =>
    `${STATE_ROOT}/${profile}/journal/${journalId}/${pad(firstSeq)}-${pad(lastSeq)}.jsonl`,
  /** Every scheduled run's outcome, one object per run, never overwritten once the run has ended. */
  runsDir: (profile: string, job?: string): string => `${STATE_ROOT}/${profile}/runs/${job ? `${job}/` : ""}`,
  run: (profile: string, job: string, runId: string): string => `${STATE_ROOT}/${profile}/runs/${job}/${runId}.json`,
  /** The latest run of a job (a copy of its outcome), what the fleet view and `check` read: one GET per job. */
  stateDir: (profile: string): string => `${STATE_ROOT}/${profile}/state/`,
  jobState: (profile: string, job: string): string => `${STATE_ROOT}/${profile}/state/${job}.json`,
  /** Alert ids already sent to the webhook, so two machines (or two runs) do not send the same alert twice. */
  notified: (profile: string): string => `${STATE_ROOT}/${profile}/state/notified.json`,
};

export const CHUNK_NAME = /\/([0-9a-f]{16})\/(\d{12})-(\d{12})\.jsonl$/;
