import { z } from "zod";

// How long backups are kept, per profile: the last N, plus grandfather-father-son generations. Each generation is
// represented by the FIRST backup of its UTC calendar period (day, ISO week, month, year), so a backup's tier, and
// with it the date until which it must be kept (and locked), is known the moment it is made.

/**
 * A count keeps the representative of that many most recent periods (7 = this one and the six before it); days keeps
 * each period's representative that many days after it was made.
 */
export const GenerationRule = z.union([
  z.number().int().min(0).max(10_000),
  z.object({ days: z.number().int().min(1).max(36_500) }).strict(),
]);
export type GenerationRule = z.infer<typeof GenerationRule>;

export const RetentionPolicy = z
  .object({
    /** The N newest backups are always kept, and pruning never leaves fewer than N proven restorable. */
    keepLast: z.number().int().min(1).max(1000).default(7),
    daily: GenerationRule.default(7),
    weekly: GenerationRule.default(4),
    monthly: GenerationRule.default(12),
    yearly: GenerationRule.default(3),
  })
  .strict();
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export const TIERS = ["daily", "weekly", "monthly", "yearly"] as const;
export const Tier = z.enum(TIERS);
export type Tier = z.infer<typeof Tier>;

/** Seven years, as the audit's HIPAA row counts them. */
export const CLINICAL_DAYS = 2555;

export const RETENTION_PRESETS = {
  /** The common default: 7 daily, 4 weekly, 12 monthly, 3 yearly. */
  gfs: { keepLast: 7, daily: 7, weekly: 4, monthly: 12, yearly: 3 },
  /** At least one backup per month for seven years (2,555 days), on top of a week of dailies and a month of weeklies. */
  clinical: { keepLast: 7, daily: 7, weekly: 4, monthly: { days: CLINICAL_DAYS }, yearly: 0 },
} as const satisfies Record<string, RetentionPolicy>;

/** A preset's name or a policy of its own. */
export const RetentionConfig = z.union([z.enum(["gfs", "clinical"]), RetentionPolicy]);
export type RetentionConfig = z.infer<typeof RetentionConfig>;

export function resolveRetention(config: RetentionConfig): RetentionPolicy {
  return typeof config === "string" ? RETENTION_PRESETS[config] : config;
}

export const LockMode = z.enum(["COMPLIANCE", "GOVERNANCE"]);
export type LockMode = z.infer<typeof LockMode>;

/**
 * The profile requires S3 Object Lock: every object of every backup is locked until its retention tier lets it go.
 * COMPLIANCE: nobody, not even the account's root, can delete or shorten it. GOVERNANCE: credentials with
 * s3:BypassGovernanceRetention can; the ransomware drill reports whether the profile's own credentials can.
 */
export const ObjectLockConfig = z.object({ mode: LockMode.default("COMPLIANCE") }).strict();
export type ObjectLockConfig = z.infer<typeof ObjectLockConfig>;
