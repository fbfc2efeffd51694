// Validates response bodies against Neon's official OpenAPI spec (public-v2-for-users.gen.yaml, shipped inside
// @neondatabase/api-client). OpenAPI 3.0 schemas are JSON Schema with a few differences, converted here:
// `nullable: true` becomes a "null" type, `$ref`s into #/components are resolved by ajv against the spec itself,
// and OpenAPI-only formats (int32, int64, ...) are accepted.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import addFormatsModule, { type FormatsPlugin } from "ajv-formats";
import { parse } from "yaml";

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS with a default export (ajv itself also exports its class by name).
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as FormatsPlugin;

type Json = Record<string, any>;

export const SPEC_PATH = join(
  dirname(require.resolve("@neondatabase/api-client/package.json")),
  "public-v2-for-users.gen.yaml",
);

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === "example" || k === "examples" || k.startsWith("x-")) continue;
    out[k] = convert(v);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string") out.type = [out.type, "null"];
    else if (!out.type) return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

let cached: { spec: Json; ajv: Ajv } | undefined;

function load(): { spec: Json; ajv: Ajv } {
  if (cached) return cached;
  const spec = parse(readFileSync(SPEC_PATH, "utf8"), { maxAliasCount: -1 }) as Json;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  for (const f of ["int32", "int64", "int", "float", "double", "byte", "binary", "password"]) ajv.addFormat(f, true);
  // The whole components section under the spec's own pointer, so "#/components/schemas/X" resolves.
  ajv.addSchema({ $id: "neon-spec", components: convert(spec.components) } as Json, "neon-spec");
  cached = { spec, ajv };
  return cached;
}

function findOperation(spec: Json, operationId: string): Json {
  for (const item of Object.values(spec.paths as Json)) {
    for (const op of Object.values(item as Json)) {
      if (op && typeof op === "object" && (op as Json).operationId === operationId) return op as Json;
    }
  }
  throw new Error(`no operation ${operationId} in the Neon spec`);
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json))
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `neon-spec${v}` : rewriteRefs(v);
  return out;
}

/** The JSON schema of an operation's response for a status (falling back to "default"), or null for no body. */
export function responseSchema(operationId: string, status: number): Json | null {
  const { spec } = load();
  const op = findOperation(spec, operationId);
  let response = (op.responses as Json)[String(status)] ?? (op.responses as Json).default;
  if (!response) throw new Error(`${operationId} documents no response ${status} and no default`);
  if (response.$ref)
    response = (response.$ref as string)
      .split("/")
      .slice(1)
      .reduce((n: Json, k: string) => n[k], spec);
  const schema = response.content?.["application/json"]?.schema;
  return schema ? (rewriteRefs(convert(schema)) as Json) : null;
}

const compiled = new Map<string, (body: unknown) => boolean>();

/** Validates a response body; returns the list of violations (empty = valid). */
export function validateResponse(operationId: string, status: number, body: unknown): string[] {
  const key = `${operationId} ${status}`;
  let validate = compiled.get(key) as
    | (((body: unknown) => boolean) & {
        errors?: { instancePath: string; message?: string; params?: unknown }[] | null;
      })
    | undefined;
  if (!validate) {
    const schema = responseSchema(operationId, status);
    if (!schema) return body === undefined || body === "" ? [] : [`${key}: the spec documents no body, got one`];
    validate = load().ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) =>
    `${key}: ${e.instancePath || "(root)"} ${e.message ?? ""} ${e.params ? JSON.stringify(e.params) : ""}`.trim(),
  );
}
