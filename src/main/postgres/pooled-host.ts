import { LifeboatError } from "../../shared/errors.ts";

/** The Neon endpoint an `options` string names (endpoint=ep-…), if any. */
export function endpointOption(options: string | undefined): string | undefined {
  return (options ?? "")
    .split(/\s+/)
    .find((w) => w.startsWith("endpoint="))
    ?.slice("endpoint=".length);
}

/**
 * Neon's pooled endpoints carry "-pooler" in the first DNS label (ep-x-123-pooler.us-east-2.aws.neon.tech), or in
 * the endpoint a client without SNI names in its options (endpoint=ep-x-123-pooler).
 */
export function isPooledHost(host: string, options?: string): boolean {
  const first = host.trim().toLowerCase().split(".")[0] ?? "";
  return first.includes("-pooler") || !!endpointOption(options)?.toLowerCase().endsWith("-pooler");
}

export function assertDirectHost(host: string, options?: string): void {
  if (!isPooledHost(host, options)) return;
  const byOption = !host.toLowerCase().split(".")[0]?.includes("-pooler");
  const direct = byOption
    ? `endpoint=${endpointOption(options)!.replace(/-pooler$/i, "")}`
    : host.replace(/-pooler(?=[^.]*(\.|$))/i, "");
  throw new LifeboatError(
    "POOLED_HOST",
    `${byOption ? `endpoint ${endpointOption(options)}` : host} is a pooled (PgBouncer) endpoint; pg_dump needs a direct (unpooled) connection: PgBouncer in transaction mode breaks the exported snapshot and session state`,
    byOption
      ? `Use the endpoint without "-pooler" in the profile's database.options (${direct}).`
      : `Use the host without "-pooler" (${direct}) in the profile's database.host.`,
    { host, direct },
  );
}
