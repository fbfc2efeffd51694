import { z } from "zod";

export const ProfileName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "is not a profile name");

/** Chosen by the renderer before it invokes a long operation, so it can match progress events to the call. */
export const OperationId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "use 1-64 letters, digits, _ and -");

export const IsoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), "is not an ISO 8601 time");

/** A backup's folder name (e.g. 20261123T174658Z-3f9a) or "latest"; never a path ("..", "/"). */
export const BACKUP_ID_PATTERN = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
export const BackupId = z.string().regex(BACKUP_ID_PATTERN, 'is not a backup id (or "latest")');

/** A database name the operator typed: restore targets, confirmations. */
export const DatabaseName = z.string().min(1).max(63);

/** One pre-flight check; `warning` marks checks that do not block the operation. */
export const Check = z.object({
  name: z.string(),
  ok: z.boolean(),
  warning: z.boolean().optional(),
  detail: z.string(),
});
export type Check = z.infer<typeof Check>;

export const Empty = z.object({}).strict();

/** A channel: request and result schemas, what it does, and whether it streams progress (long operation). */
export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  doc: string;
  request: Req;
  result: Res;
  long?: boolean;
  /**
   * Request fields that carry a secret value (a keychain entry being stored, an age identity). The router remembers
   * them for redaction before anything runs, so no error, journal record or result can carry them; zod's messages
   * never echo a value either.
   */
  secretFields?: readonly string[];
  /**
   * The result carries a secret the operator explicitly asked to see (the one such channel: neon.connectionString,
   * for the console's copy button). The router returns it unredacted; nothing else about it changes: the engine
   * journals that it was revealed and which branch, never the value.
   */
  revealsSecret?: true;
}

export const channel = <Req extends z.ZodType, Res extends z.ZodType>(
  spec: ChannelSpec<Req, Res>,
): ChannelSpec<Req, Res> => spec;
