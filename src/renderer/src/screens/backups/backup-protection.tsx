import { Card } from "../../components/card.tsx";
import { Unreachable } from "../../components/error-notice.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { LockStateView } from "./lock-state-view.tsx";

/** The selected backup's Object Lock state in the profile's store, read from the store each time it is shown. */
export function BackupProtection({ profile, id }: { profile: string; id: string }) {
  const locks = useApi("protection.locks", { profile, id });
  const lock = locks.data?.backups[0];
  return (
    <Card title="Protection against deletion">
      {locks.loading && !locks.data ? <p>Reading the lock from the store…</p> : null}
      {locks.error ? <Unreachable what="The backup's lock state" error={locks.error} /> : null}
      {lock ? <LockStateView lock={lock} /> : null}
    </Card>
  );
}
