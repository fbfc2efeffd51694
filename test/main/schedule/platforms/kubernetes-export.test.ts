// The Kubernetes manifests validate against the Kubernetes API schema (kubernetes-models: models generated from the
// Kubernetes OpenAPI spec, each with a validate() over its JSON schema), and carry no secret.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { validateProfile } from "../../../../src/main/config/config-validate.ts";
import { kubernetesManifests } from "../../../../src/main/schedule/platforms/kubernetes-export.ts";

const profile = validateProfile({
  name: "clinic",
  database: { host: "ep-x.neon.tech", database: "neondb", user: "owner", password: "keychain:clinic-db" },
  storage: {
    kind: "s3",
    bucket: "clinic-backups",
    accessKeyId: "env:AWS_ACCESS_KEY_ID",
    secretAccessKey: "env:AWS_SECRET_ACCESS_KEY",
  },
  encryption: {
    recipients: ["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"],
    identity: "keychain:age-id",
  },
  schedule: {
    timezone: "Europe/Berlin",
    backup: { at: "daily at 02:00", heartbeat: "env:HC_BACKUP" },
    drill: "quarterly on day 1 at 04:00",
    retry: { windowMinutes: 90 },
  },
  monitoring: { webhook: "env:SLACK_WEBHOOK" },
});

const out = kubernetesManifests([profile], { image: "registry.example/lifeboat:0.1.0", namespace: "backups" });

test("every manifest validates against the Kubernetes API schema", () => {
  assert.equal(out.objects.length, 3);
  for (const o of out.objects) {
    const model = o.kind === "CronJob" ? new CronJob(o as never) : new ConfigMap(o as never);
    model.validate();
  }
  // The files hold the same objects, as YAML.
  const fromFiles = out.files.flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS()));
  assert.deepEqual(fromFiles, out.objects);
});

test("the validator does catch a wrong manifest (so the test above can fail)", () => {
  const bad = structuredClone(out.objects[1]!) as {
    spec: { concurrencyPolicy: unknown; startingDeadlineSeconds: unknown };
  };
  bad.spec.startingDeadlineSeconds = "soon";
  assert.throws(() => new CronJob(bad as never).validate(), /startingDeadlineSeconds/);
});

test("one CronJob per profile and job: Forbid, a starting deadline from the window, limits, secrets by reference", () => {
  const backup = out.objects.find(
    (o) => (o as { metadata: { name: string } }).metadata.name === "lifeboat-clinic-backup",
  ) as any;
  assert.equal(backup.spec.schedule, "0 2 * * *");
  assert.equal(backup.spec.timeZone, "Europe/Berlin");
  assert.equal(backup.spec.concurrencyPolicy, "Forbid");
  assert.equal(backup.spec.startingDeadlineSeconds, 90 * 60);
  assert.equal(backup.spec.jobTemplate.spec.backoffLimit, 0);
  const c = backup.spec.jobTemplate.spec.template.spec.containers[0];
  assert.deepEqual(c.args, ["schedule", "run", "--profile", "clinic", "--job", "backup", "--runner", "kubernetes"]);
  assert.ok(c.resources.limits.memory && c.resources.requests.cpu);
  const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.valueFrom?.secretKeyRef ?? e.value]));
  for (const key of [
    "AWS_SECRET_ACCESS_KEY",
    "HC_BACKUP",
    "SLACK_WEBHOOK",
    "LIFEBOAT_KEYCHAIN_CLINIC_DB",
    "LIFEBOAT_KEYCHAIN_AGE_ID",
  ])
    assert.deepEqual(env[key], { name: "lifeboat-clinic", key });
  assert.ok(c.env.every((e: any) => e.value === undefined || !/secret|password/i.test(e.name)));
  // The pod reads keychain: references as env: ones, filled from the Secret.
  const config = JSON.parse((out.objects[0] as any).data["config.json"]);
  assert.equal(config.profiles[0].database.password, "env:LIFEBOAT_KEYCHAIN_CLINIC_DB");
  assert.equal(config.profiles[0].encryption.identity, "env:LIFEBOAT_KEYCHAIN_AGE_ID");
  assert.deepEqual(
    out.secrets.map((s) => s.key),
    [
      "LIFEBOAT_KEYCHAIN_CLINIC_DB",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "LIFEBOAT_KEYCHAIN_AGE_ID",
      "HC_BACKUP",
      "SLACK_WEBHOOK",
    ],
  );
});
