import { JOB_LABELS } from "../../../../shared/schedule/schedule-config.ts";
import { SCHEDULE_EXAMPLES } from "../../../../shared/schedule/schedule-expression.ts";
import { FormField, type Form } from "./form-field.tsx";
import { FORM_JOBS } from "./profile-form-schema.ts";

/** When the jobs run by themselves (`lifeboat schedule install` puts them in the platform's scheduler) and where they report. */
export function ScheduleFieldset({ form }: { form: Form }) {
  return (
    <fieldset className="form-grid">
      <legend>Schedule and monitoring</legend>
      {FORM_JOBS.map(([key, job]) => (
        <FormField
          key={key}
          form={form}
          name={`schedule.${key}`}
          label={`When: ${JOB_LABELS[job]}`}
          placeholder={
            job === "backup" ? SCHEDULE_EXAMPLES[0] : job === "drill" ? SCHEDULE_EXAMPLES[4] : SCHEDULE_EXAMPLES[2]
          }
          hint={
            job === "backup"
              ? `e.g. ${SCHEDULE_EXAMPLES.slice(0, 3).join(", ")}, or cron; empty: not scheduled`
              : undefined
          }
        />
      ))}
      <FormField
        form={form}
        name="schedule.timezone"
        label="Time zone of the schedule"
        placeholder="Europe/Berlin"
        hint="empty: the zone of the machine that runs it"
      />
      {FORM_JOBS.map(([key, job]) => (
        <FormField
          key={`${key}-hb`}
          form={form}
          name={`schedule.${key}Heartbeat`}
          label={`Heartbeat URL for the ${job} (reference)`}
          placeholder={`env:HC_${job.toUpperCase().replace("-", "_")}_URL`}
        />
      ))}
      <FormField
        form={form}
        name="monitoring.webhook"
        label="Alert webhook URL (reference)"
        placeholder="keychain:slack-webhook"
      />
      <FormField form={form} name="monitoring.quotaGiB" label="Store quota (GiB)" placeholder="empty: no quota" />
      <FormField form={form} name="monitoring.quotaWarnPercent" label="Warn at (% of the quota)" number />
    </fieldset>
  );
}
