import { useId } from "react";
import { CheckField, FormField, type Form } from "./form-field.tsx";

const REF_HINT = "A reference, never the value: keychain:NAME or env:VAR";

export function DatabaseFieldset({ form }: { form: Form }) {
  const id = useId();
  return (
    <fieldset className="form-grid">
      <legend>Production database</legend>
      <FormField form={form} name="db.host" label="Host (direct, not the pooler)" />
      <FormField form={form} name="db.port" label="Port" number />
      <FormField form={form} name="db.database" label="Database" />
      <FormField form={form} name="db.user" label="User" />
      <FormField
        form={form}
        name="db.password"
        label="Password reference"
        placeholder="keychain:prod-db-password"
        hint={REF_HINT}
      />
      <div className="field">
        <label htmlFor={id}>SSL mode</label>
        <select id={id} {...form.register("db.sslmode")}>
          {["disable", "prefer", "require", "verify-ca", "verify-full"].map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}

export function StorageFieldset({ form }: { form: Form }) {
  const id = useId();
  const kind = form.watch("storageKind");
  return (
    <fieldset className="form-grid">
      <legend>Off-site storage and encryption</legend>
      <div className="field">
        <label htmlFor={id}>Storage kind</label>
        <select id={id} {...form.register("storageKind")}>
          <option value="s3">S3 bucket</option>
          <option value="folder">Folder</option>
        </select>
      </div>
      {kind === "s3" ? (
        <>
          <FormField form={form} name="s3.bucket" label="Bucket" />
          <FormField form={form} name="s3.prefix" label="Prefix" />
          <FormField form={form} name="s3.region" label="Region" />
          <FormField form={form} name="s3.endpoint" label="Endpoint (S3-compatible stores)" />
          <FormField form={form} name="s3.accessKeyId" label="Access key id reference" hint={REF_HINT} />
          <FormField form={form} name="s3.secretAccessKey" label="Secret access key reference" hint={REF_HINT} />
          <CheckField form={form} name="s3.forcePathStyle" label="Path-style addressing" />
        </>
      ) : (
        <FormField form={form} name="folderPath" label="Folder path" />
      )}
      <FormField form={form} name="recipients" label="age recipients (one per line)" multiline />
      <FormField
        form={form}
        name="identity"
        label="Restore identity reference"
        placeholder="keychain:lifeboat-age-identity"
        hint={REF_HINT}
      />
    </fieldset>
  );
}

export function NeonFieldset({ form }: { form: Form }) {
  const enabled = form.watch("neonEnabled");
  return (
    <fieldset className="form-grid">
      <legend>Neon</legend>
      <CheckField form={form} name="neonEnabled" label="This database is on Neon" />
      {enabled ? (
        <>
          <FormField form={form} name="neon.projectId" label="Project id" />
          <FormField
            form={form}
            name="neon.apiKey"
            label="API key reference"
            placeholder="keychain:neon-api-key"
            hint={REF_HINT}
          />
          <FormField form={form} name="neon.apiHost" label="API host (empty for Neon's)" />
          <FormField form={form} name="neon.defaultBranch" label="Production branch (empty for Neon's default)" />
          <FormField form={form} name="neon.database" label="Database" />
          <FormField form={form} name="neon.role" label="Role" />
          <FormField
            form={form}
            name="neon.requiredRecoveryWindowHours"
            label="Required history window (hours; empty: what the plan allows)"
            number
          />
        </>
      ) : null}
    </fieldset>
  );
}
