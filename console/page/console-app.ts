import type { ArchivedOutput, ConsoleSnapshot, InboxMessage, PlatformTimeline, TimelineEntry } from "../console-snapshot.js";

/**
 * The console page's script: polls `/api/snapshot` and redraws. Every value
 * from the snapshot goes into the DOM as text (`textContent`, attribute
 * setters), never as HTML, so a hostile operation name, message or output
 * key shows as what it is. Open `<details>` survive a redraw (keyed by id),
 * so reading a message isn't interrupted by the next update.
 */
const POLL_MS = 1500;

type Child = Node | string | null | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

function byId(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing`);
  return e;
}

function time(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z");
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return "";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function badge(text: string, cls = text): HTMLElement {
  return el("span", { class: `badge s-${cls.replace(/[^A-Za-z0-9_-]/g, "_")}` }, text);
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function tableWrap(label: string, head: string[], rows: HTMLTableRowElement[]): HTMLElement {
  // Each cell carries its column's name: at phone width rows become cards that show it (console-css.ts).
  for (const r of rows) {
    for (const [i, c] of [...r.cells].entries()) c.setAttribute("data-label", head[i] ?? "");
  }
  const thead = el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h))));
  return el(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": label },
    el("table", {}, thead, el("tbody", {}, ...rows)),
  );
}

function stateText(e: TimelineEntry): string {
  switch (e.state) {
    case "announced":
      return e.digest ? "announced (in a digest)" : "announced";
    case "pending":
      return "pending: decided, not published yet";
    case "publishing":
      return "being published";
    default:
      return "running";
  }
}

function timelineRow(e: TimelineEntry): HTMLTableRowElement {
  const err = [e.errorCode, e.errorMessage].filter(Boolean).join(": ") || e.detailsError || "";
  const gaveUp = e.givenUpAt ? ` (given up ${time(e.givenUpAt)})` : "";
  return el(
    "tr",
    { "data-key": e.key, "data-status": e.status },
    el("td", {}, badge(e.status)),
    el("td", {}, `${stateText(e)}${gaveUp}`, e.publishedAt ? el("div", { class: "muted" }, time(e.publishedAt)) : null),
    el("td", {}, e.actionType ?? ""),
    el("td", { class: "key" }, e.resourceName ?? "", el("div", { class: "muted" }, e.key)),
    el("td", {}, e.createdBy ?? ""),
    el("td", {}, time(e.timeStarted)),
    el("td", {}, time(e.timeFinished)),
    el("td", {}, duration(e.durationMs)),
    el("td", { class: "err" }, err),
  );
}

function renderPlatforms(platforms: readonly PlatformTimeline[]): Node[] {
  if (platforms.length === 0) return [el("p", { class: "muted" }, "No platform has been swept yet.")];
  return platforms.flatMap((p) => {
    const rows = p.entries.map(timelineRow);
    return [
      el("h3", {}, `Platform ${p.platformId}`),
      p.watermark ? el("p", { class: "muted" }, `Catch-up watermark ${time(p.watermark)} · ${p.entries.length} operations`) : null,
      rows.length === 0
        ? el("p", { class: "muted" }, "Nothing tracked or announced yet.")
        : tableWrap(
            `Operations of ${p.platformId}`,
            ["Status", "State", "Action", "Resource", "Started by", "Started", "Finished", "Duration", "Error"],
            rows,
          ),
    ].filter((n): n is HTMLElement => n !== null);
  });
}

/** Slack mrkdwn as the channel shows it: `*bold*` in bold, the rest as text. */
function slackNode(text: string): HTMLElement {
  const box = el("div", { class: "slack", "aria-label": "Slack post" });
  const re = /\*([^*\n]+)\*/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    box.append(text.slice(last, m.index), el("strong", {}, m[1] ?? ""));
    last = (m.index ?? 0) + m[0].length;
  }
  box.append(text.slice(last));
  return box;
}

function messageNode(m: InboxMessage, open: Set<string>): HTMLElement {
  const id = `msg-${m.messageId}`;
  const d = el("details", { class: "msg", id, "data-kind": m.kind });
  if (open.has(id)) d.open = true;
  d.append(
    el(
      "summary",
      {},
      el("span", { class: "when" }, time(m.receivedAt)),
      badge(m.kind, m.kind.replace(/ /g, "_")),
      " ",
      el("span", { class: "title" }, m.title),
    ),
  );
  if (m.email !== undefined || m.slack !== undefined) {
    d.append(
      el(
        "div",
        { class: "renderings" },
        el(
          "div",
          {},
          el("h4", {}, "As the email subscribers received"),
          el("pre", { class: "email", tabindex: "0", "aria-label": "Email" }, m.email ?? ""),
        ),
        el("div", {}, el("h4", {}, "As the Slack post"), slackNode(m.slack ?? "")),
      ),
    );
  } else if (m.claim) {
    d.append(
      el(
        "p",
        { class: "renderings" },
        `Published as ONS message ${m.messageId} (recorded by the claim of ${m.claim.key} / ${m.claim.status}${m.claim.digest ? ", inside a digest" : ""}). OCI Notifications keeps no copy of messages; their text is in the subscribers' mailboxes and channels.`,
      ),
    );
  }
  return d;
}

function renderInbox(s: ConsoleSnapshot): void {
  const used = s.budget.usedLastMinute;
  byId("budget").textContent =
    `Publish budget: ${used === undefined ? "?" : used} of ${s.budget.perMinute} per minute used in the last minute.`;
  const held = byId("held-back");
  held.replaceChildren();
  if (s.heldBack.length > 0) {
    held.append(
      el(
        "div",
        { class: "held", role: "note" },
        el("strong", {}, `Held back (${s.heldBack.length})`),
        el("ul", {}, ...s.heldBack.map((h) => el("li", { "data-key": h.key }, badge(h.status), " ", `${h.key}: ${h.reason}`))),
      ),
    );
  }
  const box = byId("messages");
  const open = new Set([...box.querySelectorAll("details[open]")].map((d) => d.id));
  if (s.inbox.length === 0) {
    box.replaceChildren(el("p", { class: "muted" }, "No message published yet."));
    return;
  }
  box.replaceChildren(...s.inbox.map((m) => messageNode(m, open)));
}

function outputRow(o: ArchivedOutput): HTMLTableRowElement {
  const flags = [o.isTruncated ? "truncated" : "", o.failedParts > 0 ? `${o.failedParts} not decoded` : "", o.complete ? "" : "incomplete"]
    .filter(Boolean)
    .join(", ");
  return el(
    "tr",
    { "data-task-run": o.taskRunKey },
    el("td", { class: "key" }, o.taskRunName ?? "", el("div", { class: "muted" }, o.taskRunKey)),
    el("td", { class: "key" }, o.jobRunKey ?? ""),
    el("td", {}, o.taskRunStatus ? badge(o.taskRunStatus) : ""),
    el("td", { class: "key" }, `${o.outputKey ?? "(none)"}${o.version === null ? "" : ` v${o.version}`}`),
    el("td", {}, `${o.parts} (${o.types.join(", ")})`),
    el("td", {}, bytes(o.bytes)),
    el("td", {}, time(o.exportedAt)),
    el("td", {}, flags || "complete"),
    el("td", {}, o.viewerUrl ? el("a", { href: o.viewerUrl, class: "viewer-link" }, `view ${o.taskRunName ?? o.taskRunKey}`) : "no viewer"),
  );
}

function renderOutputs(outputs: readonly ArchivedOutput[]): Node {
  if (outputs.length === 0) return el("p", { class: "muted" }, "No output archived yet.");
  return tableWrap(
    "Archived outputs",
    ["Task run", "Job run", "Status", "Output", "Parts", "Size", "Exported", "Flags", "Viewer"],
    outputs.map(outputRow),
  );
}

function render(s: ConsoleSnapshot): void {
  byId("mode").textContent = s.mode;
  byId("updated").textContent = `updated ${time(s.generatedAt)}`;
  byId("services").replaceChildren(
    ...s.services.map((svc) =>
      el(
        "li",
        { "data-service": svc.name, "data-ok": String(svc.ok) },
        el("span", { class: `dot ${svc.ok ? "ok" : "bad"}`, "aria-hidden": "true" }),
        `${svc.name}: ${svc.ok ? "reachable" : "unreachable"}`,
      ),
    ),
  );
  const down = s.services.filter((x) => !x.ok);
  setAlert(
    down.length === 0
      ? undefined
      : down
          .map((x) => `Cannot reach the ${x.name}: ${x.error ?? "unknown error"}${x.lastOkAt ? ` (last read ${time(x.lastOkAt)})` : ""}.`)
          .join(" "),
  );
  // Sections are redrawn only when their data changed: a redraw would take the
  // keyboard focus and the scroll position away from someone reading them.
  if (changed("platforms", s.platforms)) byId("platforms").replaceChildren(...renderPlatforms(s.platforms));
  if (changed("inbox", [s.inbox, s.heldBack, s.budget])) renderInbox(s);
  if (changed("outputs", s.outputs)) byId("output-list").replaceChildren(renderOutputs(s.outputs));
}

const drawn = new Map<string, string>();
function changed(section: string, data: unknown): boolean {
  const json = JSON.stringify(data);
  if (drawn.get(section) === json) return false;
  drawn.set(section, json);
  return true;
}

function setAlert(text: string | undefined): void {
  const a = byId("alert");
  if (text === undefined) {
    a.hidden = true;
    a.textContent = "";
  } else {
    a.hidden = false;
    if (a.textContent !== text) a.textContent = text;
  }
}

async function tick(): Promise<void> {
  try {
    const res = await fetch("/api/snapshot", { cache: "no-store" });
    if (!res.ok) throw new Error(`the console server answered ${res.status}`);
    render((await res.json()) as ConsoleSnapshot);
  } catch (err) {
    setAlert(
      `Cannot reach the console server (${err instanceof Error ? err.message : String(err)}); retrying every ${POLL_MS / 1000} s. What is shown may be out of date.`,
    );
  } finally {
    setTimeout(() => void tick(), POLL_MS);
  }
}

void tick();
