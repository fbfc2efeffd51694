// What this machine's journal last saw of a part that cannot be reached now. Unknown is not none: an unreachable
// store never reads as "no backups".
import type { LastKnown } from "../../../../shared/api/channels/dashboard-channels.ts";
import { formatBytes, formatTime } from "../../../../shared/format.ts";
import { formatAge } from "../../lib/format.ts";

type Seen = NonNullable<LastKnown["database"]>;

export function LastSeen({ what, seen, verb }: { what: string; seen: Seen | undefined; verb: string }) {
  return (
    <p className="last-known">
      {seen ? (
        <>
          {what} unreachable; last {verb} <strong>{formatTime(seen.at)}</strong> ({formatAge(seen.at)}, journal #
          {seen.seq} <span className="mono">{seen.kind}</span>, from this machine&apos;s journal)
        </>
      ) : (
        <>{what} unreachable; this machine&apos;s journal has no record of it answering.</>
      )}
    </p>
  );
}

export function LastKnownBackup({ backup }: { backup: LastKnown["backup"] }) {
  return (
    <>
      <span className="big-figure text-unknown">Unknown</span>
      <p className="last-known">
        {backup ? (
          <>
            Store unreachable; last known backup <strong>{formatTime(backup.at)}</strong> ({formatAge(backup.at)}
            {backup.bytes !== undefined ? `, ${formatBytes(backup.bytes)}` : ""}
            {backup.id ? (
              <>
                , <span className="mono">{backup.id}</span>
              </>
            ) : null}
            , from this machine&apos;s journal). Backups made elsewhere since then cannot be seen.
          </>
        ) : (
          <>Store unreachable; this machine&apos;s journal records no backup of this profile.</>
        )}
      </p>
    </>
  );
}
