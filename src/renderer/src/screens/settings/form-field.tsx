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
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea {...common} {...form.register(name)} /> : <input type={number ? "number" : "text"} spellCheck={false} autoComplete="off" {...common} {...form.register(name, number ? { valueAsNumber: true } : {})} />}
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
