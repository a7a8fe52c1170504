// The public timeline page. Every filter lives in the query string (so a view is a link); the page
// reads it, asks the public API and feeds, and draws with vis-timeline. Record text is only ever put
// in the page as text (textContent), never as markup.
"use strict";

(function () {
  const FILTERS = ["date_from", "date_to", "actor", "type", "q", "lang"];
  const FEEDS = ["timelinejs", "vis", "ics", "csv", "ndjson", "jsonld"];
  const DAY = 86400000;
  const LABELS = {
    "zh-hans": {
      title: "时间线", from: "起", to: "止", actor: "参与者", type: "类型", search: "搜索", language: "语言",
      all: "全部", apply: "应用", reset: "重置", actors: "参与者", sources: "来源", feeds: "本视图的数据源：",
      brush: "在柱状图上拖动以显示该时段。", loading: "加载中…", shown: "{n} 个事件", none: "没有符合条件的事件。",
    },
    "zh-hant": {
      title: "時間線", from: "起", to: "止", actor: "參與者", type: "類型", search: "搜尋", language: "語言",
      all: "全部", apply: "套用", reset: "重設", actors: "參與者", sources: "來源", feeds: "本檢視的資料源：",
      brush: "在柱狀圖上拖曳以顯示該時段。", loading: "載入中…", shown: "{n} 個事件", none: "沒有符合條件的事件。",
    },
    en: { loading: "Loading…", shown: "{n} events", none: "No event matches these filters." },
  };

  const params = new URLSearchParams(window.location.search);
  const lang = params.get("lang") || "en";
  const form = document.getElementById("filters");
  const statusLine = document.getElementById("status");
  let timeline = null;

  function label(key) {
    return (LABELS[lang] && LABELS[lang][key]) || LABELS.en[key] || key;
  }

  function filterQuery(omit) {
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      if ((omit || []).includes(name)) continue;
      for (const value of params.getAll(name)) if (value) query.append(name, value);
    }
    return query;
  }

  function apiUrl(path, query) {
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error((body.error && body.error.message) || `HTTP ${response.status}`);
    return body;
  }

  function el(tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  }

  // --- The controls ----------------------------------------------------------------------------

  function setUpForm() {
    document.documentElement.lang = lang === "en" ? "en" : lang === "zh-hant" ? "zh-Hant" : "zh-Hans";
    if (lang !== "en") {
      for (const node of document.querySelectorAll("[data-label]")) {
        const text = LABELS[lang][node.dataset.label];
        if (text) node.textContent = text;
      }
      document.title = label("title");
    }
    for (const name of FILTERS) {
      const field = form.elements[name];
      if (field && params.get(name)) field.value = params.get(name);
    }
    // Empty fields stay out of the query string, so links stay short.
    form.addEventListener("submit", () => {
      for (const field of form.elements) if (field.name && !field.value) field.disabled = true;
    });
    for (const name of ["actor", "type", "lang"]) {
      form.elements[name].addEventListener("change", () => form.requestSubmit());
    }
    const links = document.getElementById("feed-links");
    FEEDS.forEach((format, index) => {
      if (index) links.append(" ");
      links.append(el("a", format, { href: apiUrl(`/api/v1/feeds/${format}/`, filterQuery()) }));
    });
  }

  async function loadActors() {
    const select = form.elements.actor;
    const wanted = params.get("actor");
    try {
      const body = await getJson(apiUrl("/api/v1/actors/", new URLSearchParams({ limit: "500", lang })));
      const actors = (body.results || body).slice().sort((a, b) => a.name.localeCompare(b.name));
      for (const actor of actors) select.append(el("option", actor.name, { value: actor.slug }));
    } catch (error) {
      console.warn("actors could not be loaded:", error.message);
    }
    if (wanted) {
      if (![...select.options].some((option) => option.value === wanted)) {
        select.append(el("option", wanted, { value: wanted }));
      }
      select.value = wanted;
    }
  }

  // --- The overview histogram, brushable -----------------------------------------------------

  function bucketEnd(bucket) {
    const start = new Date(bucket.start + "T00:00:00Z");
    if (bucket.precision === "year") return Date.UTC(start.getUTCFullYear() + 1, 0, 1);
    if (bucket.precision === "month") return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
    return start.getTime() + DAY;
  }

  function isoMonth(time) {
    const date = new Date(time);
    return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
  }

  // The first (or, with end=true, the day after the last) day of a typed date such as 2023 or 2023-10;
  // null for anything else (the server reads the rest, this only shades the overview).
  function boundOf(text, end) {
    const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec((text || "").trim());
    if (!match) return null;
    const [year, month, day] = [Number(match[1]), match[2] ? Number(match[2]) - 1 : null, match[3] ? Number(match[3]) : null];
    if (!end) return Date.UTC(year, month ?? 0, day ?? 1);
    if (day !== null) return Date.UTC(year, month, day + 1);
    return month !== null ? Date.UTC(year, month + 1, 1) : Date.UTC(year + 1, 0, 1);
  }

  async function drawHistogram() {
    const svg = document.getElementById("histogram");
    const query = filterQuery(["date_from", "date_to"]);
    query.set("interval", "month");
    let body;
    try {
      body = await getJson(apiUrl("/api/v1/events/histogram/", query));
    } catch (error) {
      return; // the timeline's own request reports bad filters
    }
    if (!body.buckets.length) return;
    const ns = "http://www.w3.org/2000/svg";
    const width = svg.clientWidth || 600;
    const height = 64;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const first = new Date(body.buckets[0].start + "T00:00:00Z").getTime();
    const last = Math.max(...body.buckets.map(bucketEnd));
    const span = Math.max(last - first, DAY);
    const x = (time) => ((time - first) / span) * width;
    const time = (px) => first + (Math.min(Math.max(px, 0), width) / width) * span;
    // A year-precision bucket is drawn as a faint band over its whole year (its count spread thin),
    // never as a bar on one month.
    const perMonth = (bucket) => (bucket.precision === "year" ? bucket.count / 12 : bucket.count);
    const highest = Math.max(...body.buckets.map(perMonth));
    for (const bucket of body.buckets) {
      const start = new Date(bucket.start + "T00:00:00Z").getTime();
      const barHeight = Math.max(2, (perMonth(bucket) / highest) * (height - 4));
      const bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", x(start));
      bar.setAttribute("width", Math.max(1.5, x(bucketEnd(bucket)) - x(start) - 0.5));
      bar.setAttribute("y", height - barHeight);
      bar.setAttribute("height", barHeight);
      bar.setAttribute("class", `bar precision-${bucket.precision}`);
      const title = document.createElementNS(ns, "title");
      title.textContent = `${bucket.period}: ${bucket.count}`;
      bar.append(title);
      svg.append(bar);
    }
    // The current date filter, shaded, so the overview says which part of it the timeline shows.
    const window_ = [boundOf(params.get("date_from"), false), boundOf(params.get("date_to"), true)];
    if (window_[0] !== null || window_[1] !== null) {
      const [from, to] = [window_[0] ?? first, window_[1] ?? last];
      const shade = document.createElementNS(ns, "rect");
      shade.setAttribute("class", "window");
      shade.setAttribute("x", x(from));
      shade.setAttribute("width", Math.max(2, x(to) - x(from)));
      shade.setAttribute("y", 0);
      shade.setAttribute("height", height);
      svg.prepend(shade);
    }
    const brush = document.createElementNS(ns, "rect");
    brush.setAttribute("class", "brush");
    brush.setAttribute("y", 0);
    brush.setAttribute("height", height);
    brush.setAttribute("width", 0);
    svg.append(brush);
    let origin = null;
    const local = (event) => ((event.clientX - svg.getBoundingClientRect().left) / svg.clientWidth) * width;
    svg.addEventListener("pointerdown", (event) => {
      origin = local(event);
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", (event) => {
      if (origin === null) return;
      const here = local(event);
      brush.setAttribute("x", Math.min(origin, here));
      brush.setAttribute("width", Math.abs(here - origin));
    });
    svg.addEventListener("pointerup", (event) => {
      if (origin === null) return;
      const here = local(event);
      const moved = Math.abs(here - origin);
      const [from, to] = [time(Math.min(origin, here)), time(Math.max(origin, here))];
      origin = null;
      if (moved < 3) return; // a click, not a drag
      form.elements.date_from.value = isoMonth(from);
      form.elements.date_to.value = isoMonth(to);
      form.requestSubmit();
    });
  }

  // --- The timeline and the detail panel -------------------------------------------------------

  function itemTemplate(item) {
    const node = document.createElement("span");
    node.textContent = item.isCluster ? `${item.items.length}` : item.label;
    return node;
  }

  async function drawTimeline() {
    statusLine.textContent = label("loading");
    let body;
    try {
      body = await getJson(apiUrl("/api/v1/feeds/vis/", filterQuery()));
    } catch (error) {
      statusLine.textContent = error.message;
      statusLine.classList.add("error");
      return;
    }
    statusLine.textContent = body.items.length ? label("shown").replace("{n}", body.items.length) : label("none");
    const container = document.getElementById("timeline");
    const many = body.items.length > 300;
    // Room on the right for the last items' labels: the window runs a little past the last date.
    const times = body.items.flatMap((item) => [Date.parse(item.start), Date.parse(item.end || item.start)]);
    const [first, last] = [Math.min(...times), Math.max(...times)];
    const pad = Math.max((last - first) * 0.1, 15 * DAY);
    let drawn;
    const initialDraw = new Promise((resolve) => (drawn = resolve));
    timeline = new vis.Timeline(container, new vis.DataSet(body.items), new vis.DataSet(body.groups), {
      template: itemTemplate,
      // Lanes are named by the short type name ("media report"); the form's list has the long ones.
      groupTemplate: (group) => el("span", group ? String(group.id).replace(/_/g, " ") : ""),
      stack: true,
      orientation: "top",
      zoomMin: DAY,
      maxHeight: "70vh",
      verticalScroll: true,
      horizontalScroll: false,
      tooltip: { followMouse: true, overflowMethod: "cap" },
      cluster: many ? { maxItems: 3, showStipes: false, fitOnDoubleClick: true } : false,
      // The window is set once drawn, not by start/end options: with those, vis-timeline keeps its
      // loading screen (which swallows clicks) until the first range change a user makes.
      onInitialDrawComplete: () => {
        if (body.items.length) timeline.setWindow(new Date(first - pad), new Date(last + 4 * pad), { animation: false });
        drawn();
      },
    });
    timeline.on("select", (properties) => {
      const id = properties.items[0];
      if (id === undefined || String(id).startsWith("cluster")) return;
      const item = timeline.itemsData.get(id);
      if (item) showDetail(item.event, true);
    });
    const selected = params.get("event");
    if (selected) {
      const item = body.items.find((candidate) => String(candidate.event) === selected);
      if (item) timeline.setSelection([item.id], { focus: true });
      showDetail(selected, false);
    }
    await initialDraw;
  }

  async function showDetail(eventId, remember) {
    if (remember) {
      params.set("event", eventId);
      history.replaceState(null, "", `?${params.toString()}`);
    }
    let event;
    try {
      event = await getJson(apiUrl(`/api/v1/events/${encodeURIComponent(eventId)}/`, new URLSearchParams({ lang })));
    } catch (error) {
      return;
    }
    const panel = document.getElementById("detail");
    document.getElementById("detail-title").textContent = event.title;
    document.getElementById("detail-date").textContent = `${event.date_display || ""} · ${event.type}`;
    document.getElementById("detail-summary").textContent = event.summary || "";
    const actors = document.getElementById("detail-actors");
    actors.replaceChildren(...event.actors.map((actor) => el("li", `${actor.name} — ${actor.role}`)));
    const sources = document.getElementById("detail-sources");
    sources.replaceChildren(
      ...event.citations.map((citation) => {
        const item = el("li");
        const source = citation.source;
        const name = source.publisher ? `${source.publisher.name}: ${source.title}` : source.title;
        const safeLink = source.url && /^https?:\/\//i.test(source.url);
        item.append(safeLink ? el("a", name, { href: source.url, rel: "noopener noreferrer" }) : el("span", name));
        if (source.published) item.append(el("span", ` (${source.published})`, { class: "published" }));
        if (citation.quote) item.append(el("blockquote", citation.quote, { class: "quote" }));
        return item;
      }),
    );
    panel.hidden = false;
  }

  document.getElementById("close-detail").addEventListener("click", () => {
    document.getElementById("detail").hidden = true;
    params.delete("event");
    history.replaceState(null, "", params.toString() ? `?${params.toString()}` : window.location.pathname);
    if (timeline) timeline.setSelection([]);
  });

  setUpForm();
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  // data-ready: everything is drawn and laid out (the browser tests and the benchmark wait for it).
  Promise.all([loadActors(), drawHistogram(), drawTimeline()])
    .then(nextFrame)
    .then(() => {
      performance.mark("timeline-ready");
      document.body.setAttribute("data-ready", "true");
    });
})();
