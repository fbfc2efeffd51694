import type { DoctorFinding } from "../../shared/api/channels/doctor-channels.ts";

/** A finding and how to clean it up; `repair` resolves with what it did, or throws why it could not. */
export interface Leftover extends DoctorFinding {
  repair: () => Promise<string>;
}

export interface Scan {
  leftovers: Leftover[];
  checked: string[];
  unchecked: string[];
}

export const describeError = (e: unknown): string =>
  e instanceof Error
    ? `${e.message}${(e as { hint?: string }).hint ? ` (${(e as { hint?: string }).hint})` : ""}`
    : String(e);
