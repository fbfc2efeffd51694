// The restored database's connection details, to copy into the application's settings or a terminal. The password is
// named by its reference (the keychain entry or variable that holds it), never shown: it never reaches the console.
import { useState } from "react";
import type { ResultOf } from "../../api/invoke.ts";
import { KeyValues } from "../../components/key-values.tsx";

type Connection = ResultOf<"restore.run">["connection"];

function CopyButton({ text, what }: { text: string; what: string }) {
  const [copied, setCopied] = useState<boolean>();
  return (
    <span className="row">
      <button
        type="button"
        className="btn quiet"
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        Copy {what}
      </button>
      {copied === true ? <span role="status">Copied.</span> : null}
      {copied === false ? <span role="status">Could not copy: select the text and copy it.</span> : null}
    </span>
  );
}

export function ConnectionDetails({ c }: { c: Connection }) {
  const psql = `psql "${c.uri}"`;
  return (
    <section className="card stack" aria-label="Connect to the new database">
      <h3>Connect to the new database</h3>
      <KeyValues
        label="Connection details"
        items={[
          ["Host", <span className="mono">{c.host}</span>],
          ["Port", <span className="mono">{String(c.port)}</span>],
          ["Database", <span className="mono">{c.database}</span>],
          ["User", <span className="mono">{c.user}</span>],
          ["SSL mode", <span className="mono">{c.sslmode}</span>],
          [
            "Password",
            c.passwordRef ? (
              <span>
                the one in <span className="mono">{c.passwordRef}</span> (profile {c.profile})
              </span>
            ) : (
              "none configured"
            ),
          ],
        ]}
      />
      <div className="field">
        <span className="mono copyable">{c.uri}</span>
        <CopyButton text={c.uri} what="connection URI" />
      </div>
      <div className="field">
        <span className="mono copyable">{psql}</span>
        <CopyButton text={psql} what="psql command" />
      </div>
      <p className="muted">
        The URI carries no password: the application reads it from its own secret store, as Lifeboat reads{" "}
        {c.passwordRef ? <span className="mono">{c.passwordRef}</span> : "its profile"}.
      </p>
    </section>
  );
}
