import { useId } from "react";
import { get, type Path, type UseFormReturn } from "react-hook-form";
import type { ProfileForm } from "./profile-form-schema.ts";

export type Form = UseFormReturn<ProfileForm>;

interface FieldProps {
  form: Form;
  name: Path<ProfileForm>;
  label: string;
  placeholder?: string;
  number?: boolean;
  multiline?: boolean;
  hint?: string;
}

export function FormField({ form, name, label, placeholder, number, multiline, hint }: FieldProps) {
  const id = useId();
  const error = (get(form.formState.errors, name) as { message?: string } | undefined)?.message;
  const described = [hint ? `${id}-h` : "", error ? `${id}-e` : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, "aria-invalid": error ? true : undefined, "aria-describedby": described, placeholder };
  // A field's error goes as soon as it is edited (while typing, so nothing moves under a click); Save checks again.
  const reg = form.register(name, number ? { valueAsNumber: true } : {});
  const onChange: typeof reg.onChange = (e) => {
    if (error) form.clearErrors(name);
    return reg.onChange(e);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} {...reg} onChange={onChange} />
      ) : (
        <input
          type={number ? "number" : "text"}
          spellCheck={false}
          autoComplete="off"
          {...common}
          {...reg}
          onChange={onChange}
        />
      )}
      {hint ? (
        <span id={`${id}-h`} className="muted">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-e`} className="error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function CheckField({ form, name, label }: { form: Form; name: Path<ProfileForm>; label: string }) {
  return (
    <label className="check">
      <input type="checkbox" {...form.register(name)} />
      {label}
    </label>
  );
}
