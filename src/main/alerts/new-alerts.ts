import type { Alert } from "../../shared/alert.ts";

/**
 * Remembers which alerts were already announced, so a shell notifies once per new alert rather than on every refresh.
 * An alert that clears and later returns is announced again.
 */
export class AlertTracker {
  private seen = new Set<string>();

  /** The alerts in `current` not announced before; forgets those no longer current. */
  update(current: Alert[]): Alert[] {
    const fresh = current.filter((a) => !this.seen.has(a.id));
    this.seen = new Set(current.map((a) => a.id));
    return fresh;
  }
}
