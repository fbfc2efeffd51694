import * as V from "./clinical-vocabulary.ts";
import { clinicalNoteContentSql } from "./clinical-note-sql.ts";
import { dec, int, lit, maybe, pick, textArray, tpl } from "./sql-random.ts";
import type { ClinicalTable } from "./clinical-schema.ts";

/** How many rows of each table one unit of scale makes: scale 1 is the seed's clinic (150 patients, 423 notes). */
export const ROWS_PER_SCALE: Record<ClinicalTable, number> = {
  User: 12,
  Patient: 150,
  ClinicalNote: 423,
  Prescription: 380,
  LabResult: 900,
  AuditLog: 1500,
  RefreshToken: 40,
};

export type RowCounts = Record<ClinicalTable, number>;

// Every statement inserts rows g in [$1, $2] of one table. Times grow with g, so ids and timestamps agree the way they
// do in a live system. Foreign keys point at random rows of the parent within the final counts.
const EPOCH = "timestamp '2023-01-02 08:00:00'";
const SPAN_DAYS = 1095;

function timeOf(g: string, total: number, jitterHours: number): string {
  return `(${EPOCH} + (${g}::float8 / ${Math.max(total, 1)}) * interval '${SPAN_DAYS} days' + random() * interval '${jitterHours} hours')`;
}

function userRef(seed: number, users: number): string {
  return `('cl' || substr(md5('${seed}/user/' || (1 + floor(random() * ${users}))::int), 1, 23))`;
}

/** 32 random bytes; `salt` must reference the row so the planner cannot hoist it out of the per-row work. */
function randomBytes32(salt: string): string {
  return `sha256(convert_to(random()::text || ${salt}::text, 'UTF8'))`;
}

/** One value, drawn with the given weights from a single random() (width_bucket counts the thresholds passed). */
function weighted(choices: [string, number][]): string {
  const total = choices.reduce((a, [, w]) => a + w, 0);
  let acc = 0;
  const thresholds = choices.slice(0, -1).map(([, w]) => (acc += w / total));
  return `(${textArray(choices.map(([v]) => v))})[1 + width_bucket(random(), ARRAY[${thresholds.join(",")}]::float8[])]`;
}

export function insertSql(table: ClinicalTable, n: RowCounts, seed: number): string {
  const g = "g";
  switch (table) {
    case "User":
      return `INSERT INTO "User" ("id", "email", "name", "role", "passwordHash", "licenseNumber", "createdAt", "updatedAt")
SELECT 'cl' || substr(md5('${seed}/user/' || g), 1, 23), lower(regexp_replace(f || '.' || l, '[^A-Za-z.]', '', 'g')) || g || '@dramal.clinic',
  f || ' ' || l, role::"Role", '$2b$10$' || substr(encode(${randomBytes32(g)} || ${randomBytes32(g)}, 'base64'), 1, 53),
  CASE WHEN role IN ('CLINICIAN', 'NURSE', 'PHARMACIST') THEN 'QC-' || ${int(100000, 999999)} END, ts, ts + random() * interval '90 days'
FROM (SELECT g, ${pick(V.FIRST_NAMES)} AS f, ${pick(V.LAST_NAMES)} AS l,
  ${weighted([
    ["ADMIN", 0.08],
    ["CLINICIAN", 0.5],
    ["NURSE", 0.25],
    ["PHARMACIST", 0.07],
    ["RECEPTIONIST", 0.1],
  ])} AS role,
  ${timeOf(g, n.User * 20, 24)} AS ts
  FROM generate_series($1::int, $2::int) g OFFSET 0) s`;

    case "Patient":
      return `INSERT INTO "Patient" ("id", "mrn", "firstName", "lastName", "dateOfBirth", "sex", "phone", "email", "address", "allergies", "insuranceNumber", "createdAt", "updatedAt", "deletedAt")
SELECT g, 'MRN-' || lpad(g::text, 8, '0'), f, l, date '1928-01-01' + ${int(0, 34000)}, ${pick(["F", "M", "F", "M", "X"])},
  '+1-' || ${int(201, 989)} || '-' || ${int(200, 999)} || '-' || lpad(${int(0, 9999)}::text, 4, '0'),
  CASE WHEN random() < 0.85 THEN lower(regexp_replace(f || '.' || l, '[^A-Za-z.]', '', 'g')) || ${int(1, 999)} || ${pick(["@gmail.com", "@outlook.com", "@yahoo.ca", "@videotron.ca", "@icloud.com"])} END,
  jsonb_build_object('line1', ${int(1, 9999)} || ' ' || ${pick(V.STREETS)} || ' ' || ${pick(V.STREET_KINDS)}, 'city', (${textArray(V.CITIES.map((c) => c[0]))})[k],
    'region', (${textArray(V.CITIES.map((c) => c[1]))})[k], 'postalCode', upper(substr(md5(random()::text), 1, 3) || ' ' || substr(md5(random()::text), 1, 3)), 'country', CASE WHEN k <= 8 THEN 'CA' ELSE 'US' END),
  CASE floor(random() * 5)::int WHEN 0 THEN ARRAY[${pick(V.ALLERGENS)}] WHEN 1 THEN ARRAY[${pick(V.ALLERGENS)}, ${pick(V.ALLERGENS)}] ELSE ARRAY[]::text[] END,
  CASE WHEN random() < 0.9 THEN upper(substr(md5(random()::text), 1, 4)) || ' ' || ${int(1000, 9999)} || ' ' || ${int(1000, 9999)} END,
  ts, ts + random() * interval '400 days', CASE WHEN random() < 0.01 THEN ts + interval '500 days' END
FROM (SELECT g, ${pick(V.FIRST_NAMES)} AS f, ${pick(V.LAST_NAMES)} AS l, ${int(1, V.CITIES.length)} AS k, ${timeOf(g, n.Patient * 1.3, 24)} AS ts
  FROM generate_series($1::int, $2::int) g OFFSET 0) s`;

    case "ClinicalNote":
      return `INSERT INTO "ClinicalNote" ("id", "patientId", "authorId", "status", "title", "content", "icd10Codes", "vitals", "signature", "createdAt", "updatedAt")
SELECT g, ${int(1, n.Patient)}, ${userRef(seed, n.User)}, status::"NoteStatus", ${pick(V.NOTE_TITLES)}, ${clinicalNoteContentSql("ts")},
  CASE floor(random() * 3)::int WHEN 0 THEN ARRAY[${pick(V.ICD10)}] WHEN 1 THEN ARRAY[${pick(V.ICD10)}, ${pick(V.ICD10)}] ELSE ARRAY[${pick(V.ICD10)}, ${pick(V.ICD10)}, ${pick(V.ICD10)}] END,
  jsonb_build_object('bp', ${int(96, 178)} || '/' || ${int(56, 108)}, 'hr', ${int(48, 122)}, 'tempC', ${dec(35.9, 39.4, 1)}, 'spo2', ${int(89, 100)}, 'weightKg', ${dec(41, 148, 1)}),
  CASE WHEN status <> 'DRAFT' THEN ${randomBytes32(g)} || ${randomBytes32(g)} END,
  ts, ts + CASE WHEN status = 'AMENDED' THEN random() * interval '20 days' ELSE random() * interval '2 hours' END
FROM (SELECT g, ${weighted([
        ["DRAFT", 0.12],
        ["SIGNED", 0.8],
        ["AMENDED", 0.08],
      ])} AS status, ${timeOf(g, n.ClinicalNote, 8)} AS ts
  FROM generate_series($1::int, $2::int) g OFFSET 0) s`;

    case "Prescription": {
      const meds = V.MEDICATIONS;
      return `INSERT INTO "Prescription" ("id", "patientId", "prescriberId", "noteId", "medication", "dosage", "route", "frequency", "quantity", "refills", "instructions", "status", "startDate", "endDate", "createdAt")
SELECT g, ${int(1, n.Patient)}, ${userRef(seed, n.User)}, ${maybe(0.7, int(1, n.ClinicalNote))},
  (${textArray(meds.map((m) => m[0]))})[k], (${textArray(meds.map((m) => m[1]))})[k], (${textArray(meds.map((m) => m[2]))})[k], freq,
  ${int(7, 180)}, ${int(0, 5)},
  ${tpl("Take {dose} {freq} {with}. {extra}", {
    dose: `(${textArray(meds.map((m) => m[1]))})[k]`,
    freq: "freq",
    with: pick([
      "with food",
      "on an empty stomach",
      "with a full glass of water",
      "at the same time each day",
      "as directed",
    ]),
    extra: pick([
      "Do not crush.",
      "May cause drowsiness.",
      "Avoid alcohol.",
      "Monitor blood pressure at home.",
      "Report muscle pain.",
      "",
      "",
      "",
    ]),
  })},
  ${weighted([
    ["ACTIVE", 0.55],
    ["COMPLETED", 0.35],
    ["DISCONTINUED", 0.1],
  ])}::"PrescriptionStatus",
  ts::date, CASE WHEN random() < 0.6 THEN ts::date + ${int(5, 365)} END, ts
FROM (SELECT g, ${int(1, meds.length)} AS k, ${pick(V.FREQUENCIES)} AS freq, ${timeOf(g, n.Prescription, 24)} AS ts
  FROM generate_series($1::int, $2::int) g OFFSET 0) s`;
    }

    case "LabResult": {
      const labs = V.LAB_TESTS;
      const col = (i: number): string =>
        `(ARRAY[${labs.map((l) => (typeof l[i] === "number" ? String(l[i]) : lit(String(l[i])))).join(",")}])[k]`;
      return `INSERT INTO "LabResult" ("id", "patientId", "orderedById", "testName", "loincCode", "value", "unit", "referenceRange", "flag", "comment", "attachment", "collectedAt", "resultedAt")
SELECT g, ${int(1, n.Patient)}, ${userRef(seed, n.User)}, ${col(0)}, ${col(1)}, v, ${col(2)}, ${col(3)} || '-' || ${col(4)} || ' ' || ${col(2)},
  CASE WHEN v > ${col(4)} THEN 'H' WHEN v < ${col(3)} THEN 'L' END,
  ${maybe(
    0.25,
    tpl("{what}. {then}", {
      what: pick([
        "Specimen slightly hemolyzed",
        "Repeat confirms result",
        "Fasting status unknown",
        "Value called to the ordering clinician",
        "Result consistent with prior trend",
        "Sample received after 4 hours",
      ]),
      then: pick([
        "Recommend repeat in 3 months.",
        "Clinical correlation advised.",
        "No action required.",
        "Interpret with caution.",
        "",
      ]),
    }),
  )},
  CASE WHEN random() < 0.03 THEN convert_to('%PDF-1.4' || chr(10) || '% synthetic lab report ' || g || chr(10), 'UTF8')
    || (SELECT string_agg(sha256(convert_to(random()::text || i, 'UTF8')), ''::bytea) FROM generate_series(1, 8 + (g % 24)) i) END,
  ts, CASE WHEN random() < 0.97 THEN ts + random() * interval '48 hours' END
FROM (SELECT g, k, round((${col(3)} * 0.7 + random() * ${col(5)})::numeric, 2) AS v, ts
  FROM (SELECT g, ${int(1, labs.length)} AS k, ${timeOf(g, n.LabResult, 24)} AS ts FROM generate_series($1::int, $2::int) g OFFSET 0) a OFFSET 0) s`;
    }

    case "AuditLog": {
      const tables = V.AUDIT_TABLES;
      return `INSERT INTO "AuditLog" ("id", "userId", "action", "tableName", "recordId", "timestamp", "ipAddress", "details")
SELECT g, CASE WHEN random() < 0.97 THEN ${userRef(seed, n.User)} END, action::"AuditAction", (${textArray(tables)})[k],
  CASE k WHEN 1 THEN ${int(1, n.Patient)}::text WHEN 2 THEN ${int(1, n.ClinicalNote)}::text WHEN 3 THEN ${int(1, n.Prescription)}::text
    WHEN 4 THEN ${int(1, n.LabResult)}::text WHEN 5 THEN ${userRef(seed, n.User)} ELSE md5(random()::text)::uuid::text END,
  ts, (CASE WHEN random() < 0.8 THEN '10.' || ${int(0, 255)} || '.' || ${int(0, 255)} || '.' || ${int(1, 254)} ELSE ${int(24, 223)} || '.' || ${int(0, 255)} || '.' || ${int(0, 255)} || '.' || ${int(1, 254)} END)::inet,
  jsonb_strip_nulls(jsonb_build_object('requestId', md5(random()::text)::uuid, 'sessionId', substr(md5(random()::text), 1, 16),
    'method', CASE action WHEN 'CREATE' THEN 'POST' WHEN 'UPDATE' THEN ${pick(["PUT", "PATCH"])} ELSE 'DELETE' END,
    'path', '/api/v2/' || lower((${textArray(tables)})[k]) || 's/' || ${int(1, 999999)},
    'latencyMs', ${int(3, 2400)},
    'userAgent', ${tpl("{ua}/{major}.{minor}.{build}", { ua: pick(["Chrome", "Firefox", "Safari", "Edge", "DrAmalClinical"]), major: int(90, 131), minor: int(0, 9), build: int(1000, 6999) })},
    'changes', CASE WHEN action = 'UPDATE' THEN jsonb_build_object(${pick(V.NOTE_FIELDS)}, jsonb_build_object('from', ${pick(V.SEVERITIES)}, 'to', ${pick(V.SEVERITIES)})) END,
    'reason', CASE WHEN action = 'DELETE' THEN ${pick(["duplicate record", "entered in error", "patient request", "retention policy", "merged chart"])} END))
FROM (SELECT g, ${int(1, tables.length)} AS k, ${weighted([
        ["CREATE", 0.55],
        ["UPDATE", 0.4],
        ["DELETE", 0.05],
      ])} AS action, ${timeOf(g, n.AuditLog, 2)} AS ts
  FROM generate_series($1::int, $2::int) g OFFSET 0) s`;
    }

    case "RefreshToken":
      return `INSERT INTO "RefreshToken" ("id", "userId", "tokenHash", "userAgent", "expiresAt", "revokedAt", "createdAt")
SELECT md5('${seed}/token/' || g)::uuid, ${userRef(seed, n.User)}, encode(${randomBytes32(g)}, 'hex'), ${pick(V.USER_AGENTS)},
  ts + interval '30 days', CASE WHEN random() < 0.3 THEN ts + random() * interval '30 days' END, ts
FROM (SELECT g, ${timeOf(g, n.RefreshToken, 24)} AS ts FROM generate_series($1::int, $2::int) g OFFSET 0) s`;
  }
}
