/** The viewer's one stylesheet (inline: the page fetches nothing). Readable from phone width up, light and dark. */
export const VIEWER_CSS = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--warn:#9a6700;--warn-bg:#fff8c5;--bad:#b3261e;--bad-bg:#ffebe9;--ok:#1a7f37;--link:#0550ae}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9ea7b3;--bg:#0d1117;--panel:#161b22;--line:#30363d;--warn:#e3b341;--warn-bg:#2e2a1a;--bad:#ff7b72;--bad-bg:#2d1518;--ok:#3fb950;--link:#79c0ff}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:16px}
a{color:var(--link)}
a:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--link);outline-offset:2px}
h1{font-size:1.4rem;margin:.2em 0 .6em;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:0 0 .5em;overflow-wrap:anywhere}
.muted,.note{color:var(--muted)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0 0 12px}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;max-height:70vh;white-space:pre-wrap;overflow-wrap:anywhere}
.sha{overflow-wrap:anywhere}
section.part,section.rendering{border:1px solid var(--line);border-radius:8px;padding:14px;margin:16px 0}
.banner{border-radius:6px;padding:10px 12px;margin:12px 0;border:1px solid}
.banner.warn{background:var(--warn-bg);color:var(--fg);border-color:var(--warn)}
.banner.bad{background:var(--bad-bg);color:var(--fg);border-color:var(--bad)}
.badge{display:inline-block;border-radius:999px;padding:0 8px;font-size:.85em;border:1px solid var(--line)}
.badge.ok{color:var(--ok);border-color:var(--ok)}
.badge.bad{color:var(--bad);border-color:var(--bad)}
.badge.warn{color:var(--warn);border-color:var(--warn)}
ul.warnings{margin:4px 0 8px;padding-left:20px}
.table-wrap{overflow:auto;max-height:60vh;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--panel);position:sticky;top:0}
img.part-img,img.nb-img{max-width:100%;height:auto;background:#fff;border:1px solid var(--line)}
figure{margin:0}
iframe.html-frame{width:100%;height:420px;border:1px solid var(--line);border-radius:6px;background:#fff}
object.pdf{width:100%;height:600px;border:1px solid var(--line)}
nav.toc ol{padding-left:20px}
.nb-cell{margin:8px 0}
.nb-prompt{color:var(--muted);font:12px ui-monospace,monospace}
.nb-error{border-color:var(--bad)}
@media (max-width:600px){main{padding:10px}dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:6px}iframe.html-frame{height:300px}}
`;
