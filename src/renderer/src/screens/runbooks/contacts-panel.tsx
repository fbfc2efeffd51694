import { SEED_ESCALATION } from "../../../../shared/runbooks/all-runbooks.ts";
import { Unreachable } from "../../components/error-notice.tsx";
import { useApi } from "../../hooks/use-api.ts";

/** Who to call and in what order, from the profile (the seed's table and path when the profile has none). */
export function ContactsPanel({ profile }: { profile: string }) {
  const ctx = useApi("runbooks.profileContext", { profile });
  const contacts = ctx.data?.contacts ?? [];
  const escalation = ctx.data?.escalation.length ? ctx.data.escalation : SEED_ESCALATION;
  return (
    <>
      <section className="card" aria-label="Contacts">
        <h2>Contacts</h2>
        {ctx.error ? <Unreachable what="Profile contacts" error={ctx.error} /> : null}
        {contacts.length === 0 && ctx.data ? (
          <p className="muted">No contacts in this profile. Add them under Settings.</p>
        ) : null}
        <ul className="contact-list">
          {contacts.map((c) => (
            <li key={`${c.role}-${c.name}`}>
              <strong>{c.role}</strong>
              <span>{c.name}</span>
              <span className="mono">{c.contact}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-label="Escalation path">
        <h2>Escalation path</h2>
        <ol className="escalation">
          {escalation.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ol>
      </section>
    </>
  );
}
