// The synthetic clinic used by the demo, the tests and the benchmarks.
export { CLINICAL_TABLES, CLINICAL_SCHEMA_SQL, createClinicalSchema, type ClinicalTable } from "./clinical-schema.ts";
export { generateClinicalData, rowCountsFor, type SampleOptions } from "./generate-clinical-data.ts";
export { ROWS_PER_SCALE } from "./clinical-rows-sql.ts";
