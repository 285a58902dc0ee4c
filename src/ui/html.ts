/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --muted: #6e7781; --line: #d0d7de; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem; }
header { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
h1 { font-size: 1.3rem; margin: .5rem 0; } h2 { font-size: 1.1rem; margin: 1.2rem 0 .5rem; }
form.pick { display: flex; gap: 1rem; align-items: end; flex-wrap: wrap; }
label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); gap: .2rem; }
select, input, textarea, button { font: inherit; padding: .35rem .5rem; }
code, pre, textarea { font-family: ui-monospace, monospace; font-size: .85rem; }
pre { background: color-mix(in srgb, canvas 92%, gray); padding: .75rem; overflow: auto; max-height: 28rem; border-radius: 6px; }
.url { display: flex; gap: .5rem; align-items: center; } .url code { word-break: break-all; }
.cols { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap: 1.5rem; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--line); }
tbody tr { cursor: pointer; } tbody tr:hover, tbody tr[aria-selected="true"] { background: color-mix(in srgb, canvas 85%, #0969da); }
.status { font-weight: 600; } .s-processed { color: var(--ok); } .s-accepted, .s-processing, .s-no_mapping { color: var(--warn); }
.s-failed, .s-partially_failed { color: var(--bad); } .muted { color: var(--muted); }
pre:empty { display: none; }
@media (max-width: 800px) { .cols { grid-template-columns: 1fr; } }
`;

/** A whole page: the shared head and styles around `body`, and its script (served apart: see the CSP). */
export function page(title: string, body: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Signalbox</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script src="${escapeHtml(script)}" defer></script>
</body>
</html>`;
}
