/**
 * The console page's shell. The browser script (console-app.ts, bundled to
 * `dist/console/console.js`) fills it from `/api/snapshot`; the stylesheet is
 * console-css.ts. Everything is served by the console server itself: no CDN,
 * nothing fetched from anywhere else (its Content-Security-Policy says so).
 */
export const CONSOLE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aidp-watch console</title>
<link rel="stylesheet" href="/console.css">
<script src="/console.js" defer></script>
</head>
<body>
<a class="skip" href="#operations">Skip to operations</a>
<header class="top">
  <h1>aidp-watch console</h1>
  <p class="meta"><span id="mode">connecting…</span> · <span id="updated" aria-live="off">not updated yet</span></p>
  <ul id="services" class="services" aria-label="Services"></ul>
  <div id="alert" class="alert" role="alert" hidden></div>
  <nav aria-label="Sections"><ul class="sections"><li><a href="#operations">Operations</a></li><li><a href="#inbox">Notifications</a></li><li><a href="#outputs">Archived outputs</a></li></ul></nav>
</header>
<main>
  <section id="operations" aria-labelledby="operations-title">
    <h2 id="operations-title">Operations</h2>
    <div id="platforms"><p class="muted">Loading…</p></div>
  </section>
  <section id="inbox" aria-labelledby="inbox-title">
    <h2 id="inbox-title">Notifications</h2>
    <p id="budget" class="muted"></p>
    <div id="held-back"></div>
    <div id="messages"><p class="muted">Loading…</p></div>
  </section>
  <section id="outputs" aria-labelledby="outputs-title">
    <h2 id="outputs-title">Archived outputs</h2>
    <div id="output-list"><p class="muted">Loading…</p></div>
  </section>
</main>
</body>
</html>
`;
