import { useFieldArray } from "react-hook-form";
import { FormField, type Form } from "./form-field.tsx";

export function ThresholdsFieldset({ form }: { form: Form }) {
  return (
    <fieldset className="form-grid">
      <legend>Alert thresholds and recovery targets</legend>
      <FormField form={form} name="alerts.maxBackupAgeMinutes" label="Backup older than (minutes): CRITICAL" number />
      <FormField form={form} name="alerts.sizeDropPercent" label="Backup shrank by more than (%): MEDIUM" number />
      <FormField form={form} name="targets.rtoMinutes" label="RTO target (minutes)" number />
      <FormField form={form} name="targets.rpoMinutes" label="RPO target (minutes)" number />
    </fieldset>
  );
}

export function ContactsFieldset({ form }: { form: Form }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: "contacts" });
  return (
    <fieldset className="stack">
      <legend>Contacts and escalation</legend>
      {fields.map((f, i) => (
        <div key={f.id} className="form-grid" role="group" aria-label={`Contact ${i + 1}`}>
          <FormField form={form} name={`contacts.${i}.role`} label={`Contact ${i + 1} role`} />
          <FormField form={form} name={`contacts.${i}.name`} label={`Contact ${i + 1} name`} />
          <FormField form={form} name={`contacts.${i}.contact`} label={`Contact ${i + 1} email or phone`} />
          <div style={{ alignSelf: "end" }}>
            <button type="button" className="btn quiet" onClick={() => remove(i)}>
              Remove contact {i + 1}
            </button>
          </div>
        </div>
      ))}
      <div>
        <button type="button" className="btn secondary" onClick={() => append({ role: "", name: "", contact: "" })}>
          Add contact
        </button>
      </div>
      <FormField form={form} name="escalation" label="Escalation path (one step per line, in order)" multiline />
    </fieldset>
  );
}
