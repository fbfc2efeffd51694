import type { Profile } from "../../../shared/config.ts";

/** One <option> per profile, by name: for every profile picker. */
export function ProfileOptions({ profiles }: { profiles: readonly Pick<Profile, "name">[] }) {
  return (
    <>
      {profiles.map((p) => (
        <option key={p.name} value={p.name}>
          {p.name}
        </option>
      ))}
    </>
  );
}
