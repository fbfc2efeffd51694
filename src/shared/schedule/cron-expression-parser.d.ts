// The package's own types for the parser-only entry that schedule-expression.ts imports.
declare module "cron-parser/dist/CronExpressionParser.js" {
  export { CronExpressionParser } from "cron-parser";
}
