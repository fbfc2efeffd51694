import { LifeboatError } from "../../shared/errors.ts";

/** Neon's pooled endpoints carry "-pooler" in the first DNS label (ep-x-123-pooler.us-east-2.aws.neon.tech). */
export function isPooledHost(host: string): boolean {
  const first = host.trim().toLowerCase().split(".")[0] ?? "";
  return first.includes("-pooler");
}

export function assertDirectHost(host: string): void {
  if (!isPooledHost(host)) return;
  const direct = host.replace(/-pooler(?=[^.]*(\.|$))/i, "");
  throw new LifeboatError(
    "POOLED_HOST",
    `${host} is a pooled (PgBouncer) endpoint; pg_dump needs a direct (unpooled) connection: PgBouncer in transaction mode breaks the exported snapshot and session state`,
    `Use the host without "-pooler" (${direct}) in the profile's database.host.`,
    { host, direct },
  );
}
