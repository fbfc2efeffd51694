// Builders for SQL expressions that draw from random(). The generator composes whole rows from these so the data is
// made inside the server (fast, no client round trips) and is repeatable after setseed().

export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function textArray(items: readonly string[]): string {
  return `ARRAY[${items.map(lit).join(",")}]::text[]`;
}

/** One element of the list, uniformly. */
export function pick(items: readonly string[]): string {
  return `(${textArray(items)})[1 + floor(random() * ${items.length})::int]`;
}

/** An integer in [lo, hi]. */
export function int(lo: number, hi: number): string {
  return `(${lo} + floor(random() * ${hi - lo + 1})::int)`;
}

/** A decimal in [lo, hi) with the given number of places. */
export function dec(lo: number, hi: number, places: number): string {
  return `round((${lo} + random() * ${hi - lo})::numeric, ${places})`;
}

/** expr with probability p, else NULL (which concat and concat_ws skip). */
export function maybe(p: number, expr: string): string {
  return `CASE WHEN random() < ${p} THEN ${expr} END`;
}

/** One of the expressions, uniformly; only the chosen branch is evaluated. */
export function oneOf(exprs: readonly string[]): string {
  return `CASE floor(random() * ${exprs.length})::int ${exprs.map((e, i) => `WHEN ${i} THEN ${e}`).join(" ")} END`;
}

/**
 * "[Reports|Notes] {a} for {b}." with each {slot} replaced by its SQL expression and each [x|y|z] by a random pick:
 * varied wording keeps the text from compressing like a form letter.
 */
export function tpl(template: string, slots: Record<string, string> = {}): string {
  const parts: string[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}|\[([^\]]*)\]/g)) {
    let expr: string;
    if (m[1] !== undefined) {
      const slot = slots[m[1]];
      if (slot === undefined) throw new Error(`template slot {${m[1]}} has no expression`);
      expr = `(${slot})::text`;
    } else {
      expr = pick((m[2] ?? "").split("|"));
    }
    if (m.index > last) parts.push(lit(template.slice(last, m.index)));
    parts.push(expr);
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(lit(template.slice(last)));
  return `concat(${parts.join(", ")})`;
}
