// PostgreSQL write-ahead log positions ("0/1DE2850"): two 32-bit hex halves, compared as one 64-bit number.

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

export function parseLsn(text: string): bigint | null {
  const m = LSN.exec(text.trim());
  if (!m) return null;
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function formatLsn(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Negative, zero or positive, like a sort comparator. Both must be valid LSNs. */
export function compareLsn(a: string, b: string): number {
  const x = parseLsn(a);
  const y = parseLsn(b);
  if (x === null || y === null) throw new Error(`not an LSN: ${x === null ? a : b}`);
  return x < y ? -1 : x > y ? 1 : 0;
}
