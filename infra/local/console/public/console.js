// The local console's page: the list of what `npm start` received, kept live by the server's event stream
// (/console/api/events), the selected entry's detail, Replay and Send. Plain DOM, no framework, no build step.
// Every text from the server goes in with textContent, never as HTML.

const $ = (selector) => document.querySelector(selector);

/** id → summary, as the event stream last described it. */
const entries = new Map();
let selectedId;
let detailShown; // the detail last rendered, for "Exact bytes"

const filters = { outcome: $("#filter-outcome"), subject: $("#filter-subject"), platform: $("#filter-platform") };

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

const timeOf = (iso) => {
  const date = new Date(iso);
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
};

const reasonAndHint = (summary) =>
  [summary.reason, summary.hint, ...(summary.errors ?? [])].filter(Boolean).join(" — ");

async function api(path, body) {
  const response = await fetch(
    path,
    body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
  return answer;
}

// ---- the list ----

function matchesFilters(summary) {
  return (
    (filters.outcome.value === "" || summary.outcome === filters.outcome.value) &&
    (filters.subject.value === "" || summary.subject === filters.subject.value) &&
    (filters.platform.value === "" || summary.platform === filters.platform.value)
  );
}

/** A cell whose text wraps only where `at` splits it: "/aws-lambda" and "orders.approve" are not cut at a hyphen. */
function breakable(text, at, className) {
  const cell = element("td", undefined, className);
  for (const part of text.split(at)) cell.append(element("span", part, "unbroken"), element("wbr"));
  return cell;
}

function row(summary) {
  const tr = element("tr");
  tr.dataset.id = String(summary.id);
  tr.tabIndex = 0;
  tr.setAttribute("aria-selected", String(summary.id === selectedId));
  tr.append(element("td", timeOf(summary.receivedAt), "time mono"));
  tr.append(breakable(summary.path, /(?=\/)/, "path mono"));
  const subject = breakable(summary.subject ?? "—", /(?<=[./])/, "subject");
  if (summary.origin === "replay") subject.append(element("span", `replay of #${summary.replayOf}`, "note"));
  if (summary.origin === "send") subject.append(element("span", "sent from the console", "note"));
  tr.append(subject);
  const outcome = element("td", summary.outcome ?? "…", `outcome outcome-${summary.outcome ?? "pending"}`);
  if (summary.deferred !== undefined) {
    const { outcome: then = "…", platform = "deferred" } = summary.deferred;
    const note = element("span", `then ${then}`, `note outcome-${then}`);
    note.title = `its deferred run (${platform}): ${then}`;
    outcome.append(note);
  }
  tr.append(outcome);
  tr.append(element("td", summary.status === undefined ? "" : String(summary.status), "status number"));
  tr.append(element("td", reasonAndHint(summary), "reason"));
  tr.append(element("td", summary.ms === undefined ? "" : summary.ms.toFixed(1), "ms number"));
  return tr;
}

function renderSubjectFilter() {
  const subjects = [...new Set([...entries.values()].map((summary) => summary.subject).filter(Boolean))].sort();
  const chosen = filters.subject.value;
  const known = [...filters.subject.options].map((option) => option.value).slice(1);
  if (known.join("\n") === subjects.join("\n")) return;
  filters.subject.replaceChildren(element("option", "all"), ...subjects.map((subject) => element("option", subject)));
  filters.subject.options[0].value = "";
  filters.subject.value = subjects.includes(chosen) ? chosen : "";
}

function renderList() {
  const shown = [...entries.values()].sort((a, b) => b.id - a.id).filter(matchesFilters);
  $("#deliveries tbody").replaceChildren(...shown.map(row));
  $("#empty").hidden = entries.size > 0;
  $("#count").textContent = `${shown.length} shown of ${entries.size}`;
  renderSubjectFilter();
}

// ---- the detail ----

function pairs(table, lines) {
  table.tBodies[0].replaceChildren(
    ...lines.map(({ name, value }) => {
      const tr = element("tr");
      tr.append(element("td", name), element("td", value));
      return tr;
    }),
  );
}

function describeBody(view) {
  const size = view.stored < view.bytes ? `${view.bytes} bytes, the first ${view.stored} kept` : `${view.bytes} bytes`;
  const encoding = { empty: "empty", json: "JSON, re-indented", text: "text", binary: "binary: not UTF-8" }[
    view.encoding
  ];
  return `${size} · ${encoding}`;
}

function clippedNote(view) {
  if (view.clipped === undefined) return "";
  return view.encoding === "binary"
    ? `(hex of the first ${view.clipped} bytes: Download has them all)`
    : `(the first ${view.clipped} characters: Download has it all)`;
}

/** `exact`: the body's text as it arrived, instead of the view's (re-indented JSON, clipped). */
function showBody(view, exact) {
  $("#detail-body").textContent = exact ?? view.shown;
  $("#detail-body").dataset.view = exact === undefined ? "shown" : "exact";
  $("#body-exact").textContent = exact === undefined ? "Exact bytes" : "Re-indented";
  const note = clippedNote(view);
  $("#body-note").hidden = note === "" || exact !== undefined;
  $("#body-note").textContent = note;
}

function renderDetail(detail) {
  detailShown = detail;
  const { summary } = detail;
  $("#detail").hidden = false;
  $("#detail-title").textContent = `#${summary.id} ${summary.subject ?? summary.path} · ${summary.outcome ?? "…"}`;
  $("#detail-summary").textContent = [
    `${summary.method} ${detail.target}`,
    `on ${summary.platform}`,
    timeOf(summary.receivedAt),
    summary.resourceId === undefined ? "" : `id ${summary.resourceId}`,
    summary.origin === "replay"
      ? `replay of #${summary.replayOf}`
      : summary.origin === "send"
        ? "sent from the console"
        : "",
    reasonAndHint(summary),
  ]
    .filter(Boolean)
    .join(" · ");

  const replayTo = $("#replay-to");
  replayTo.replaceChildren(
    ...detail.replayTo.map((platform, index) =>
      element("option", index === 0 ? `the same path (${platform})` : platform),
    ),
  );
  detail.replayTo.forEach((platform, index) => {
    replayTo.options[index].value = platform;
  });
  $("#replay").disabled = detail.replayTo.length === 0;
  if (detail.replayTo.length === 0) $("#replay-result").textContent = "the body was not kept whole: no replay";

  pairs($("#detail-headers"), detail.headers);
  $("#body-size").textContent = describeBody(detail.body);
  $("#body-download").href = `/console/api/deliveries/${summary.id}/body`;
  $("#body-exact").hidden = detail.body.encoding === "binary" || detail.body.encoding === "empty";
  showBody(detail.body);

  const answer = detail.answer;
  $("#answer-status").textContent =
    answer === undefined ? "(none yet)" : `${answer.status} · ${describeBody(answer.body)}`;
  pairs($("#answer-headers"), answer?.headers ?? []);
  $("#answer-body").textContent = answer?.body.shown ?? "";

  const lines = detail.logs.map((line) => {
    const li = element("li", undefined, line.stream);
    li.append(element("span", `+${line.at} ms`, "at"));
    if (line.deferred) li.append(element("span", "deferred run", "tag"));
    li.append(document.createTextNode(line.text));
    return li;
  });
  if (detail.droppedLines > 0) lines.push(element("li", `… and ${detail.droppedLines} more lines, not kept`));
  if (lines.length === 0) lines.push(element("li", "none", "muted"));
  $("#detail-logs").replaceChildren(...lines);
}

async function select(id) {
  selectedId = id;
  for (const tr of document.querySelectorAll("#deliveries tbody tr"))
    tr.setAttribute("aria-selected", String(Number(tr.dataset.id) === id));
  $("#replay-result").textContent = "";
  await refreshDetail();
}

/** Fetches the selected entry again; a newer call supersedes an older one still on its way. */
let detailRequest = 0;
async function refreshDetail() {
  if (selectedId === undefined) return;
  const request = ++detailRequest;
  try {
    const detail = await api(`/console/api/deliveries/${selectedId}`);
    const exact = $("#detail-body").dataset.view === "exact" && detailShown?.summary.id === detail.summary.id;
    if (request !== detailRequest) return;
    renderDetail(detail);
    if (exact) await showExactBody();
  } catch (error) {
    if (request === detailRequest) $("#detail-summary").textContent = error.message;
  }
}

async function showExactBody() {
  const id = detailShown.summary.id;
  const response = await fetch(`/console/api/deliveries/${id}/body`);
  if (!response.ok) {
    $("#body-note").hidden = false;
    $("#body-note").textContent = (await response.json()).error;
    return;
  }
  const bytes = await response.arrayBuffer();
  try {
    showBody(detailShown.body, new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    showBody(detailShown.body);
  }
}

// ---- the live feed ----

let refreshQueued = false;
function refreshSoon() {
  // Lines arrive in bursts (a delivery logs two or three at once): one fetch per burst.
  if (refreshQueued) return;
  refreshQueued = true;
  setTimeout(() => {
    refreshQueued = false;
    void refreshDetail();
  }, 50);
}

function connect() {
  const live = $("#live");
  const source = new EventSource("/console/api/events");
  source.addEventListener("snapshot", (event) => {
    const { limits, entries: list } = JSON.parse(event.data);
    entries.clear();
    for (const summary of list) entries.set(summary.id, summary);
    $("#limits").textContent =
      `History: the last ${limits.entries} requests, at most ${Math.round(limits.totalBytes / 1048576)} MiB; the oldest are dropped first.`;
    live.textContent = "live";
    live.classList.add("on");
    renderList();
    if (selectedId !== undefined) refreshSoon();
  });
  source.addEventListener("entry", (event) => {
    const summary = JSON.parse(event.data);
    entries.set(summary.id, summary);
    renderList();
    if (summary.id === selectedId) refreshSoon();
  });
  source.addEventListener("dropped", (event) => {
    const { id } = JSON.parse(event.data);
    entries.delete(id);
    renderList();
    if (id === selectedId) $("#detail-summary").textContent = "dropped from the history (it keeps the newest only)";
  });
  source.addEventListener("error", () => {
    live.textContent = "reconnecting… (is npm start running?)";
    live.classList.remove("on");
  });
}

// ---- Send ----

async function loadSendChoices() {
  if ($("#send-name").options.length > 0) return;
  const { topics, kinds, platforms } = await api("/console/api/samples");
  const group = (label, names) => {
    const optgroup = element("optgroup");
    optgroup.label = label;
    optgroup.append(...names.map((name) => element("option", name)));
    return optgroup;
  };
  $("#send-name").replaceChildren(group("Webhook topics", topics), group("External resources", kinds));
  $("#send-name").value = topics.includes("orders.place") ? "orders.place" : topics[0];
  $("#send-platform").replaceChildren(...platforms.map((platform) => element("option", platform)));
  await previewSample();
}

async function previewSample() {
  const name = $("#send-name").value;
  try {
    const { body } = await api(`/console/api/samples/body?name=${encodeURIComponent(name)}`);
    $("#send-preview").textContent = body;
  } catch (error) {
    $("#send-preview").textContent = error.message;
  }
}

async function send() {
  const result = $("#send-result");
  result.textContent = "sending…";
  try {
    const sent = await api("/console/api/send", { name: $("#send-name").value, platform: $("#send-platform").value });
    result.textContent = `#${sent.id}: ${sent.status}`;
    if (sent.id !== undefined) await select(sent.id);
  } catch (error) {
    result.textContent = error.message;
  }
}

async function replay() {
  const result = $("#replay-result");
  const from = selectedId;
  result.textContent = "replaying…";
  try {
    const sent = await api(`/console/api/deliveries/${from}/replay`, { platform: $("#replay-to").value });
    if (sent.id !== undefined) await select(sent.id);
    $("#replay-result").textContent = `replayed #${from} as #${sent.id}: ${sent.status}`;
  } catch (error) {
    result.textContent = error.message;
  }
}

// ---- wiring ----

$("#deliveries tbody").addEventListener("click", (event) => {
  const tr = event.target.closest("tr[data-id]");
  if (tr) void select(Number(tr.dataset.id));
});
$("#deliveries tbody").addEventListener("keydown", (event) => {
  const tr = event.target.closest("tr[data-id]");
  if (tr && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    void select(Number(tr.dataset.id));
  }
});
for (const control of Object.values(filters)) control.addEventListener("change", renderList);
$("#replay").addEventListener("click", () => void replay());
$("#body-exact").addEventListener("click", () =>
  $("#detail-body").dataset.view === "exact" ? showBody(detailShown.body) : void showExactBody(),
);
$("#open-send").addEventListener("click", () => {
  const panel = $("#send-panel");
  panel.hidden = !panel.hidden;
  $("#open-send").setAttribute("aria-expanded", String(!panel.hidden));
  if (!panel.hidden) void loadSendChoices();
});
$("#send-name").addEventListener("change", () => void previewSample());
$("#send").addEventListener("click", () => void send());

connect();
