/** The console's stylesheet (served as /console.css). Phone width up; light and dark; visible focus. */
export const CONSOLE_CSS = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--ok:#1a7f37;--bad:#b3261e;--warn:#8a5a00;--run:#0550ae;--link:#0550ae;--bad-bg:#ffebe9;--warn-bg:#fff8c5}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9ea7b3;--bg:#0d1117;--panel:#161b22;--line:#30363d;--ok:#3fb950;--bad:#ff7b72;--warn:#e3b341;--run:#79c0ff;--link:#79c0ff;--bad-bg:#2d1518;--warn-bg:#2e2a1a}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
a:focus-visible,summary:focus-visible,[tabindex]:focus-visible,button:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px;z-index:2}
header.top{padding:12px 16px;border-bottom:1px solid var(--line);background:var(--panel)}
h1{font-size:1.3rem;margin:0}
h2{font-size:1.15rem;margin:18px 0 8px}
h3{font-size:1rem;margin:14px 0 6px;overflow-wrap:anywhere}
main{max-width:1200px;margin:0 auto;padding:0 16px 32px}
.meta,.muted{color:var(--muted)}
.meta{margin:2px 0 6px}
ul.services,ul.sections{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px 12px}
ul.sections{margin-top:6px}
.services li{font-size:.9em}
.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:4px;vertical-align:baseline}
.dot.ok{background:var(--ok)}.dot.bad{background:var(--bad)}
.alert{margin:8px 0 0;padding:8px 10px;border:1px solid var(--bad);border-radius:6px;background:var(--bad-bg)}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);white-space:nowrap}
td.key,td.err{overflow-wrap:anywhere;max-width:28em}
.badge{display:inline-block;border:1px solid currentColor;border-radius:999px;padding:0 7px;font-size:.85em;white-space:nowrap}
.s-SUCCEEDED,.s-SUCCESS{color:var(--ok)}
.s-FAILED,.s-LOST,.s-CANCELED,.s-TIMED_OUT,.s-INTERNAL_ERROR{color:var(--bad)}
.s-GAVE_UP,.s-STILL_RUNNING,.s-pending,.s-publishing{color:var(--warn)}
.s-IN_PROGRESS,.s-running,.s-ACCEPTED{color:var(--run)}
details.msg{border:1px solid var(--line);border-radius:6px;margin:6px 0;background:var(--bg)}
details.msg>summary{cursor:pointer;padding:6px 10px;list-style-position:outside;overflow-wrap:anywhere}
details.msg>summary .when{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:6px}
.renderings{display:grid;grid-template-columns:1fr 1fr;gap:10px;padding:0 10px 10px}
.renderings h4{margin:6px 0;font-size:.9rem}
pre{font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:420px;overflow:auto;margin:0}
.slack{font-size:.92em;background:var(--panel);border:1px solid var(--line);border-left:4px solid #611f69;border-radius:6px;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere}
.held{border:1px solid var(--warn);background:var(--warn-bg);border-radius:6px;padding:6px 10px;margin:6px 0}
.held ul{margin:4px 0;padding-left:20px}
@media (max-width:700px){.renderings{grid-template-columns:1fr}main{padding:0 10px 24px}header.top{padding:10px}
.table-wrap{overflow-x:visible}
.table-wrap thead{position:absolute;left:-9999px}
.table-wrap tr{display:block;border-bottom:2px solid var(--line);padding:4px 0}
.table-wrap td{display:block;position:relative;border:0;padding:2px 8px 2px 8.5em;max-width:none;min-height:1.6em;overflow-wrap:anywhere}
main,header.top{overflow-wrap:anywhere}
.table-wrap td::before{content:attr(data-label);position:absolute;left:8px;width:7.5em;color:var(--muted);font-size:.85em}
.table-wrap td:empty{display:none}}
`;
