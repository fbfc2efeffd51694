// The compliance report's stylesheet: one file for the screen and for paper. Printed (or rendered to PDF by Chromium)
// it is A4 with the verdict overview on the first page, each control starting on a clean block, table headers
// repeated across pages, and every verdict in words as well as colour.
export const REPORT_CSS = `
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee4;--pass:#2e7d32;--fail:#c62828;--ne:#8a5a00;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:#fff}
main{max-width:1050px;margin:0 auto;padding:28px 24px 48px}
header{border-bottom:3px solid var(--ink);padding-bottom:10px;margin-bottom:16px}
h1{font-size:22px;margin:0 0 6px}
h2{font-size:17px;margin:26px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--ink)}
h3{font-size:14px;margin:0 0 6px;display:flex;gap:10px;align-items:baseline;justify-content:space-between}
.sub{color:var(--muted)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.v{display:inline-block;min-width:7.5em;text-align:center;padding:1px 8px;border-radius:10px;font-size:11px;font-weight:700;letter-spacing:.03em;color:#fff;white-space:nowrap}
.v-PASS{background:var(--pass)}.v-FAIL{background:var(--fail)}.v-NOT_EVIDENCED{background:var(--ne)}
.tally{display:flex;gap:10px;margin:10px 0}
.tally div{border:1px solid var(--line);border-radius:6px;padding:6px 12px;background:var(--bg)}
.tally b{font-size:18px;margin-right:6px}
table{width:100%;border-collapse:collapse;font-size:12px;margin:4px 0 10px}
th,td{text-align:left;padding:4px 7px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-weight:600}
td{overflow-wrap:anywhere}
td.nw{overflow-wrap:normal;white-space:nowrap}
section.item{border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:6px;padding:10px 12px;margin:12px 0}
section.item.PASS{border-left-color:var(--pass)}section.item.FAIL{border-left-color:var(--fail)}section.item.NOT_EVIDENCED{border-left-color:var(--ne)}
blockquote{margin:0 0 6px;color:var(--muted);font-style:italic}
p.why{margin:4px 0 8px}
ul.findings{margin:4px 0 8px;padding-left:20px}
.caption{font-weight:600;margin:8px 0 2px}
.cite{font:11px ui-monospace,SFMono-Regular,Menlo,"DejaVu Sans Mono",monospace;color:var(--muted);overflow-wrap:anywhere;margin:2px 0}
.unseen{background:#fff8e1;border:1px solid #f0d890;border-radius:6px;padding:8px 12px}
.verify{font-size:12px;color:var(--muted);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:10px 12px}
@media print{
  @page{size:A4;margin:14mm 12mm}
  body{font-size:10.5px}
  main{max-width:none;padding:0}
  h2{break-after:avoid;break-before:auto}
  h3,blockquote,p.why{break-after:avoid}
  tr,li,.cite{break-inside:avoid}
  thead{display:table-header-group}
  section.item{break-inside:auto}
  section.overview{break-after:page}
}`;
