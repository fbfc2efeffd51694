// Writes what `schedule export --kubernetes` makes into a folder: the manifests, the image recipe, and a note of the
// Secrets to create (names and keys only: the values are the operator's to type).
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Profile } from "../../../shared/config.ts";
import type { BackupStore } from "../../storage/backup-store.ts";
import { PACKAGE_ROOT } from "../../package-root.ts";
import { storeFacts } from "../../monitoring/store-facts.ts";
import { containerRecipe } from "./container-recipe.ts";
import { kubernetesManifests, type SecretKey } from "./kubernetes-export.ts";

export interface ExportResult {
  outDir: string;
  files: string[];
  pgMajors: number[];
  secrets: SecretKey[];
  commands: string[];
  warnings: string[];
}

const DEFAULT_MAJOR = 17;

/** The majors of the servers and pg_dumps of each profile's newest backup. */
async function majorsFromStores(
  profiles: Profile[],
  store: (p: Profile) => Promise<BackupStore>,
  warnings: string[],
): Promise<number[]> {
  const found = new Set<number>();
  for (const p of profiles) {
    try {
      const m = (await storeFacts(await store(p), p)).newest[0];
      if (m) [m.server.major, m.pgDump.major].forEach((x) => found.add(x));
      else warnings.push(`${p.name} has no backup yet to learn its server's PostgreSQL major from.`);
    } catch (e) {
      warnings.push(`${p.name}: the store could not be read (${(e as Error).message}).`);
    }
  }
  return [...found];
}

export async function exportKubernetes(
  profiles: Profile[],
  o: {
    outDir: string;
    image: string;
    namespace: string;
    pgMajors?: number[];
    store: (p: Profile) => Promise<BackupStore>;
  },
): Promise<ExportResult> {
  const warnings: string[] = [];
  const scheduled = profiles.filter((p) => p.schedule);
  let majors = o.pgMajors?.length ? o.pgMajors : await majorsFromStores(scheduled, o.store, warnings);
  if (!majors.length) {
    majors = [DEFAULT_MAJOR];
    warnings.push(`No PostgreSQL major was known: the image gets ${DEFAULT_MAJOR}; pass --pg-major to choose.`);
  }
  const m = kubernetesManifests(scheduled, { image: o.image, namespace: o.namespace });
  const out = resolve(o.outDir);
  await mkdir(out, { recursive: true });
  const secretsBy = new Map<string, SecretKey[]>();
  for (const s of m.secrets) secretsBy.set(s.secret, [...(secretsBy.get(s.secret) ?? []), s]);
  const secretNote = [
    "The Kubernetes Secrets the CronJobs read. Lifeboat writes no secret into any file, and a value on a command line",
    "is visible to every user of the machine (ps, shell history): put the values in a file only you can read, make the",
    "Secret from it, and delete the file.",
    "",
    ...[...secretsBy].flatMap(([name, keys]) => [
      `install -m 600 /dev/null ${name}.env && "$EDITOR" ${name}.env   # one KEY=value line each: ${keys.map((k) => k.key).join(", ")}`,
      `kubectl -n ${o.namespace} create secret generic ${name} --from-env-file=${name}.env && rm ${name}.env`,
      "",
    ]),
    "Each key and the profile's reference it stands for:",
    ...m.secrets.map((s) => `  ${s.secret}/${s.key} <- ${s.ref}`),
    "",
  ].join("\n");
  const files = [
    ...m.files.map((f) => ({ name: f.name, content: f.content })),
    { name: "Dockerfile", content: containerRecipe(majors) },
    { name: "SECRETS.txt", content: secretNote },
  ];
  for (const f of files) await writeFile(join(out, f.name), f.content, { mode: 0o644 });
  return {
    outDir: out,
    files: files.map((f) => join(out, f.name)),
    pgMajors: [...new Set(majors)].sort((a, b) => a - b),
    secrets: m.secrets,
    commands: [
      `docker build -f ${join(out, "Dockerfile")} -t ${o.image} ${PACKAGE_ROOT}`,
      `# create the Secrets as ${join(out, "SECRETS.txt")} says (keys only; the values are yours to type)`,
      `kubectl -n ${o.namespace} apply -f ${out}`,
    ],
    warnings,
  };
}
