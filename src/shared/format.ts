// How sizes, durations and times read, in the terminal, the console and every export alike: the same backup shows the
// same size everywhere. Sizes are binary (IEC: KiB, MiB, GiB), as pg_dump, S3 parts and disks count them. Times are
// UTC with the zone named: an incident timeline is compared across people, logs and Neon's console, all in UTC.

const SIZE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** 1536 → "1.5 KiB", 438 KiB → "438 KiB", 1 GiB → "1.0 GiB": at most three significant figures. */
export function formatBytes(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return "—";
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < SIZE_UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 99.95 ? String(Math.round(v)) : v.toFixed(1);
  return `${n < 0 ? "-" : ""}${digits} ${SIZE_UNITS[u]}`;
}

/** "8.0 MiB/s" */
export function formatRate(bytesPerSecond: number | undefined | null): string {
  return bytesPerSecond === undefined || bytesPerSecond === null ? "—" : `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * 300 → "0.3 s", 7_000 → "7.0 s", 45_000 → "45 s", 125_000 → "2 min 5 s", 3 h 12 min → "3 h 12 min", 50 h → "2 d 2 h":
 * tenths of a second below ten seconds (phase timings), then the two largest units, the second left out when zero.
 */
export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return "—";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs < 9_950) return `${sign}${(abs / 1000).toFixed(1)} s`;
  let s = Math.round(abs / 1000);
  if (s < 60) return `${sign}${s} s`;
  let m = Math.floor(s / 60);
  s %= 60;
  if (m < 60) return `${sign}${m} min${s ? ` ${s} s` : ""}`;
  let h = Math.floor(m / 60);
  m %= 60;
  if (h < 24) return `${sign}${h} h${m ? ` ${m} min` : ""}`;
  const d = Math.floor(h / 24);
  h %= 24;
  return `${sign}${d} d${h ? ` ${h} h` : ""}`;
}

const CANONICAL_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** "2026-01-17 14:29:59 UTC" (from an ISO time or epoch milliseconds); text that is not a time comes back as it was. */
export function formatTime(iso: string | number | undefined | null): string {
  if (typeof iso === "number") return Number.isFinite(iso) ? formatTime(new Date(iso).toISOString()) : "—";
  if (!iso) return "—";
  // Journal timestamps are already UTC ISO with ms: cut, don't parse (an export runs this once per record).
  if (CANONICAL_TS.test(iso)) return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "2026-01-17", the UTC day (from an ISO time or epoch milliseconds): a retention date, a period's bounds. */
export function formatDate(t: string | number | undefined | null): string {
  const ms = typeof t === "number" ? t : t ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : typeof t === "string" && t ? t : "—";
}
