// Adds or edits a profile (react-hook-form, validated by zod). Saving goes through profiles.save, where the engine
// validates again and refuses a literal secret.
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { Profile } from "../../../../shared/config.ts";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { invoke } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { DatabaseFieldset, NeonFieldset, StorageFieldset } from "./connection-fieldsets.tsx";
import { FormField } from "./form-field.tsx";
import { ContactsFieldset, ThresholdsFieldset } from "./people-fieldsets.tsx";
import { emptyForm, fromProfile, ProfileForm, toProfile } from "./profile-form-schema.ts";
import { ScheduleFieldset } from "./schedule-fieldset.tsx";

// Errors change only when Save is pressed: a message that appears or vanishes on blur moves the Save button between
// mouse-down and mouse-up, and the click is lost.
export function ProfileEditor({
  existing,
  onSaved,
  onCancel,
}: {
  existing: Profile | undefined;
  onSaved: (name: string) => void;
  onCancel: () => void;
}) {
  const form = useForm<ProfileForm>({
    resolver: zodResolver(ProfileForm),
    defaultValues: existing ? fromProfile(existing) : emptyForm(),
    mode: "onSubmit",
    reValidateMode: "onSubmit",
  });
  const [error, setError] = useState<ErrorInfo>();
  const [saved, setSaved] = useState(false);

  const submit = form.handleSubmit(async (values) => {
    setError(undefined);
    setSaved(false);
    const r = await invoke("profiles.save", { profile: toProfile(values, existing) as Profile });
    if (!r.ok) return setError(r.error);
    setSaved(true);
    onSaved(r.value.name);
  });

  return (
    <form
      className="card stack"
      aria-label={existing ? `Edit profile ${existing.name}` : "New profile"}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h2>{existing ? `Profile ${existing.name}` : "New profile"}</h2>
      {existing ? null : <FormField form={form} name="name" label="Profile name" placeholder="production" />}
      <DatabaseFieldset form={form} />
      <StorageFieldset form={form} />
      <NeonFieldset form={form} />
      <ThresholdsFieldset form={form} />
      <ScheduleFieldset form={form} />
      <ContactsFieldset form={form} />
      {Object.keys(form.formState.errors).length ? (
        <p className="error" role="alert">
          Some fields need attention (marked above).
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} title="The profile was not saved" /> : null}
      {saved ? <p role="status">Saved.</p> : null}
      <div className="row">
        <button type="submit" className="btn" disabled={form.formState.isSubmitting}>
          Save profile
        </button>
        <button type="button" className="btn quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
