// The public pages (timeline, story, actor, embed). Every filter lives in the query string (so a view is
// a link); the page reads it, asks the public API and feeds, and draws: with vis-timeline on wide
// screens, as an agenda list on phones, with TimelineJS in the story view. The page's words, the names
// of types and roles, and the typed date window come from the server (#page-config), in the reader's
// language. Record text is only ever put in the page as text (textContent), never as markup.
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("page-config").textContent);
  const FILTERS = ["date_from", "date_to", "actor", "type", "q"];
  const DAY = 86400000;
  const PHONE = window.matchMedia("(max-width: 600px)");
  const lang = config.lang;
  const words = config.words;
  const locale = { en: "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant" }[lang];

  const params = new URLSearchParams(window.location.search);
  if (config.actor) params.set("actor", config.actor);
  const form = document.getElementById("filters");
  const statusLine = document.getElementById("status");
  const panel = document.getElementById("detail");
  let timeline = null;
  let items = []; // the vis feed's items, sorted by start
  let itemIndex = new Map(); // event id → its place in items
  let groups = []; // its lanes (one per type)
  let opener = null; // the element that opened the detail panel, focused again when it closes
  let framed = true; // whether the timeline still shows its first window (the reader has not moved it)
  const LABEL = ".event, .cluster"; // what the timeline draws for an event or a cluster of them

  // The timeline's label that is, or holds, ``element``, or null.
  function labelOf(element) {
    const label = element && element.closest ? element.closest(LABEL) : null;
    return label && label.closest("#timeline") ? label : null;
  }

  function say(key, values) {
    let text = words[key] || key;
    for (const [name, value] of Object.entries(values || {})) text = text.replace(`{${name}}`, value);
    return text;
  }

  function countText(n) {
    return n ? say(n === 1 ? "events_one" : "events_other", { n: n.toLocaleString(locale) }) : say("none");
  }

  function typeName(code, short) {
    return config.labels[short ? "type_short" : "type"][code] || String(code).replace(/_/g, " ");
  }

  function filterQuery(omit) {
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      if ((omit || []).includes(name)) continue;
      for (const value of params.getAll(name)) if (value) query.append(name, value);
    }
    query.set("lang", lang);
    return query;
  }

  function withQuery(path, query) {
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

  const dayOf = (iso) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  const isoDay = (time) => new Date(time).toISOString().slice(0, 10);
  // One formatter per set of options: making one is costly, and the axis and the clusters format
  // dates at every redraw.
  const formatters = new Map();
  const formatted = (time, options) => {
    const key = JSON.stringify(options);
    if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...options }));
    return formatters.get(key).format(time);
  };

  // --- The controls ----------------------------------------------------------------------------

  function setUpForm() {
    const back = document.getElementById("open-full");
    if (back) {
      // The embed links back to the same view on the full page.
      const query = filterQuery();
      if (config.view === "story") query.set("view", "story");
      back.href = withQuery("/", query);
    }
    if (!form) return;
    // On phones the filters fold away under one line (open when the view is filtered), so the
    // events start in the first screen.
    if (PHONE.matches && !FILTERS.some((name) => params.get(name) && !(name === "actor" && config.actor))) {
      const box = document.getElementById("filter-box");
      if (box) box.open = false;
    }
    for (const name of FILTERS) {
      const field = form.elements[name];
      if (field && params.get(name)) field.value = params.get(name);
    }
    form.elements.lang.value = lang;
    form.elements.view.value = config.view === "story" ? "story" : "";
    // Empty fields stay out of the query string, so links stay short.
    // So is the language when it is the one the reader's browser asks for anyway.
    form.addEventListener("submit", () => {
      for (const field of form.elements) if (field.name && !field.value) field.disabled = true;
      if (!params.has("lang") && form.elements.lang.value === config.browserLang) form.elements.lang.disabled = true;
    });
    for (const name of ["actor", "type", "lang"]) {
      form.elements[name].addEventListener("change", () => form.requestSubmit());
    }
    const links = document.getElementById("feed-links");
    config.feeds.forEach((format, index) => {
      if (index) links.append(" ");
      links.append(el("a", format, { href: withQuery(`/api/v1/feeds/${format}/`, filterQuery()) }));
    });
    const view = (name) => {
      const query = filterQuery();
      if (name === "story") query.set("view", "story");
      return withQuery("/", query);
    };
    document.getElementById("view-timeline").href = view("timeline");
    document.getElementById("view-story").href = view("story");
    const current = document.getElementById(config.view === "story" ? "view-story" : "view-timeline");
    current.setAttribute("aria-current", "page");
    document.getElementById("copy-embed").addEventListener("click", copyEmbedCode);
  }

  async function copyEmbedCode() {
    const query = filterQuery();
    if (config.view === "story") query.set("view", "story");
    const source = `${window.location.origin}${withQuery("/embed/", query)}`;
    const code = `<iframe src="${source.replace(/"/g, "&quot;")}" title="${say("title")}" width="100%" height="640" loading="lazy" style="border:0"></iframe>`;
    const note = document.getElementById("copy-status");
    try {
      await navigator.clipboard.writeText(code);
      note.textContent = say("copied");
    } catch (error) {
      // No clipboard (an insecure origin, a refused permission): show the code to copy by hand.
      const box = el("textarea", code, { readonly: "", rows: "3", "aria-label": say("embed") });
      note.replaceChildren(box);
      box.select();
    }
  }

  async function loadActors() {
    if (!form) return;
    const select = form.elements.actor;
    const wanted = params.get("actor");
    try {
      const body = await getJson(withQuery("/api/v1/actors/", new URLSearchParams({ limit: "500", lang })));
      const actors = (body.results || body).slice().sort((a, b) => a.name.localeCompare(b.name, locale));
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

  // --- What is shown: the typed window, else the events' own span ------------------------------

  function dataSpan() {
    const times = items.flatMap((item) => [dayOf(item.start), dayOf(item.end || item.start)]);
    return times.length ? [Math.min(...times), Math.max(...times)] : [Date.now() - 365 * DAY, Date.now()];
  }

  // The first window: exactly the typed (or brushed) period when there is one; else the events, with
  // room on the right for each label, which stands to the right of its date (measured in the page's
  // font, at most 24em wide, as the stylesheet wraps longer ones).
  function firstWindow(width, font = { fontSize: "13.6px", fontFamily: "sans-serif" }) {
    const [first, last] = dataSpan();
    const typed = [config.window.from && dayOf(config.window.from), config.window.to && dayOf(config.window.to)];
    if (typed[0] || typed[1]) return [typed[0] || first, typed[1] || last + DAY];
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${font.fontSize} ${font.fontFamily}`;
    const widest = 24 * parseFloat(font.fontSize);
    const needs = items.map((item) => [dayOf(item.start), Math.min(Math.min(context.measureText(item.label).width, widest) + 28, width * 0.6)]);
    let [start, end] = [first - DAY, last + DAY];
    for (let round = 0; round < 4; round++) {
      start = first - 24 * ((end - start) / width);
      end = start + Math.max(30 * DAY, ...needs.map(([time, pixels]) => ((time - start) * width) / (width - pixels)));
    }
    return [start, end];
  }

  // --- The overview histogram: a navigator over the timeline's span -----------------------------

  // Asked for at once, beside the timeline's feed; drawn once the timeline's window is known.
  function fetchHistogram() {
    return getJson(config.urls.histogram).catch(() => null); // the feed reports bad filters
  }

  async function drawHistogram(answer, windowStart, windowEnd) {
    const svg = document.getElementById("histogram");
    const body = await answer;
    if (!body) return null;
    const ns = "http://www.w3.org/2000/svg";
    const node = (tag, attributes) => {
      const made = document.createElementNS(ns, tag);
      for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
      return made;
    };
    const bucketStart = (bucket) => dayOf(bucket.start);
    const bucketEnd = (bucket) => {
      const start = new Date(bucketStart(bucket));
      if (bucket.precision === "year") return Date.UTC(start.getUTCFullYear() + 1, 0, 1);
      if (bucket.precision === "month") return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
      return start.getTime() + DAY;
    };
    const width = svg.clientWidth || 600;
    const [barsHeight, height] = [56, 76];
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.replaceChildren();
    // The span: the timeline's first window, widened to every bucket (a date filter narrows the
    // timeline, never the overview, which stays the way to move elsewhere).
    const first = Math.min(windowStart, ...body.buckets.map(bucketStart));
    const last = Math.max(windowEnd, ...body.buckets.map(bucketEnd));
    const span = Math.max(last - first, DAY);
    const x = (time) => ((time - first) / span) * width;
    const time = (px) => first + (Math.min(Math.max(px, 0), width) / width) * span;
    svg.setAttribute(
      "aria-label",
      `${say("histogram", { from: formatted(first, { year: "numeric", month: "long" }), to: formatted(last - DAY, { year: "numeric", month: "long" }) })}. ${say("brush")}`,
    );
    // A year-precision bucket is a band over its whole year (its count spread thin but never thinner
    // than a third of the tallest bar, so it stays visible).
    const perMonth = (bucket) => (bucket.precision === "year" ? bucket.count / 12 : bucket.count);
    const highest = Math.max(1, ...body.buckets.map(perMonth));
    for (const bucket of body.buckets) {
      const start = bucketStart(bucket);
      let barHeight = Math.max(3, (perMonth(bucket) / highest) * (barsHeight - 4));
      if (bucket.precision === "year") barHeight = Math.max(barHeight, barsHeight / 3);
      const bar = node("rect", {
        x: x(start),
        width: Math.max(2, x(bucketEnd(bucket)) - x(start) - 0.5),
        y: barsHeight - barHeight,
        height: barHeight,
        class: `bar precision-${bucket.precision}`,
      });
      const title = node("title", {});
      title.textContent = `${bucket.period}: ${countText(bucket.count)}`;
      bar.append(title);
      svg.append(bar);
    }
    // The axis: a tick and a label at each year (and at each quarter when the span is short).
    svg.append(node("line", { class: "axis", x1: 0, x2: width, y1: barsHeight + 0.5, y2: barsHeight + 0.5 }));
    const years = [new Date(first).getUTCFullYear(), new Date(last).getUTCFullYear()];
    let months = [0];
    if (span < 3 * 365 * DAY) months = span < 400 * DAY ? [0, 3, 6, 9] : [0, 6];
    if (span < 200 * DAY) months = [...Array(12).keys()];
    let lastLabelEnd = -Infinity;
    for (let year = years[0]; year <= years[1]; year++) {
      for (const month of months) {
        const tick = Date.UTC(year, month, 1);
        if (tick < first || tick > last) continue;
        const at = x(tick);
        svg.append(node("line", { class: "tick", x1: at, x2: at, y1: barsHeight, y2: barsHeight + 5 }));
        // Every January is a year label; so is the first label when the span starts mid-year.
        const yearShown = month === 0 || lastLabelEnd === -Infinity;
        let text = formatted(tick, { month: "short" });
        if (yearShown) text = month === 0 ? formatted(tick, { year: "numeric" }) : formatted(tick, { year: "numeric", month: "short" });
        const labelWidth = text.length * 7 + 8;
        if (at - 2 < lastLabelEnd || at + labelWidth > width) continue;
        const label = node("text", { x: at + 2, y: height - 4, class: yearShown ? "year" : "month" });
        label.textContent = text;
        svg.append(label);
        lastLabelEnd = at + labelWidth;
      }
    }
    // The typed (or brushed) period, shaded, whatever form it was typed in: the server read it.
    const typed = [config.window.from && dayOf(config.window.from), config.window.to && dayOf(config.window.to)];
    if (typed[0] || typed[1]) {
      const [from, to] = [typed[0] || first, typed[1] || last];
      svg.prepend(node("rect", { class: "window", x: x(from), width: Math.max(2, x(to) - x(from)), y: 0, height: barsHeight }));
    }
    // What the timeline shows now, kept up to date as it moves.
    const shown = node("rect", { class: "shown", y: 0, height: barsHeight, x: 0, width: 0 });
    svg.append(shown);
    const brush = node("rect", { class: "brush", y: 0, height: barsHeight, width: 0 });
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
      // Whole days: from the day under the start of the stroke to the day under its end, both shown.
      const [from, to] = [time(Math.min(origin, here)), time(Math.max(origin, here))];
      origin = null;
      if (moved < 3) return; // a click, not a drag
      showPeriod(isoDay(from), isoDay(Math.max(to - 1, from)));
    });
    brushByKeys(first, last, (from, to) => {
      brush.setAttribute("x", x(from));
      brush.setAttribute("width", Math.max(2, x(to) - x(from)));
    });
    return (start, end) => {
      shown.setAttribute("x", x(Math.max(start, first)));
      shown.setAttribute("width", Math.max(0, x(Math.min(end, last)) - x(Math.max(start, first))));
    };
  }

  // Brushing by keyboard: two sliders, a month a step (Page Up and Down: a year), each naming its
  // month; the brush follows them, and Enter shows that period as a drag would (months, as typed).
  function brushByKeys(first, last, showBrush) {
    const box = document.getElementById("brush-keys");
    if (!box) return;
    const month = (time) => new Date(time).getUTCFullYear() * 12 + new Date(time).getUTCMonth();
    const timeOf = (index) => Date.UTC(Math.floor(index / 12), index % 12, 1);
    const [low, high] = [month(first), month(last - DAY)];
    const typed = [config.window.from && dayOf(config.window.from), config.window.to && dayOf(config.window.to)];
    const ends = [typed[0] ? month(typed[0]) : low, typed[1] ? month(typed[1] - DAY) : high];
    const sliders = ["brush-from", "brush-to"].map((id) => document.getElementById(id));
    const name = (index) => formatted(timeOf(index), { year: "numeric", month: "long" });
    const show = (moved) => {
      sliders.forEach((slider, at) => {
        slider.value = String(ends[at] - low);
        slider.setAttribute("aria-valuetext", name(ends[at]));
        slider.nextElementSibling.textContent = name(ends[at]);
      });
      if (moved) showBrush(timeOf(ends[0]), timeOf(ends[1] + 1));
    };
    sliders.forEach((slider, at) => {
      slider.min = "0";
      slider.max = String(high - low);
      slider.step = "1";
      const move = (index) => {
        ends[at] = Math.min(Math.max(index, low), high);
        // The other end gives way, so the period is never empty.
        if (ends[0] > ends[1]) ends[1 - at] = ends[at];
        show(true);
      };
      slider.addEventListener("input", () => move(low + Number(slider.value)));
      slider.addEventListener("keydown", (event) => {
        const years = { PageUp: 12, PageDown: -12 }[event.key];
        if (years) {
          event.preventDefault();
          move(ends[at] + years);
        } else if (event.key === "Enter") {
          event.preventDefault();
          const text = (index) => isoDay(timeOf(index)).slice(0, 7);
          showPeriod(text(ends[0]), text(ends[1]));
        }
      });
    });
    show();
    box.hidden = false;
  }

  // A period chosen on the overview becomes the view's date filters: a link like any other view.
  function showPeriod(from, to) {
    if (form) {
      form.elements.date_from.value = from;
      form.elements.date_to.value = to;
      form.requestSubmit();
      return;
    }
    const query = new URLSearchParams(window.location.search);
    query.set("date_from", from);
    query.set("date_to", to);
    window.location.search = query.toString();
  }

  // --- The timeline (wide screens) ---------------------------------------------------------------

  // Every event is drawn as a point with its label beside it, so no label is ever cut by a narrow
  // band; a month, a year or an interval also gets a band under it over its whole period.
  const eventLabels = new Map(); // event id → its label on the timeline

  function itemTemplate(item, element) {
    if (item.isCluster) return clusterLabel(item);
    // An event's label is made once and handed back at every redraw: vis-timeline then leaves the
    // item's content as it is (a new node would be swapped in and laid out again).
    let node = eventLabels.get(item.event);
    if (!node) {
      node = el("span", item.label, {
        class: "event",
        tabindex: "0",
        role: "button",
        "data-event": item.event,
        "aria-label": `${item.date_display}: ${item.label} (${typeName(item.group)})`,
      });
      eventLabels.set(item.event, node);
    }
    // The band belongs to the whole item (a positioned box), so that it starts at the date itself.
    const box = element && element.parentElement;
    if (item.days > 1 && box && !box.querySelector(":scope > .band")) {
      const band = el("span", null, { class: "band", "aria-hidden": "true" });
      band.style.setProperty("--days", item.days);
      box.append(band);
    }
    return node;
  }

  // Axis labels in the reader's language, read in UTC (the feed's dates are UTC days).
  function axisLabel(major) {
    return (date, scale) => {
      const time = date.valueOf();
      if (major) {
        if (scale === "year") return "";
        if (scale === "month") return formatted(time, { year: "numeric" });
        if (scale === "day" || scale === "weekday") return formatted(time, { year: "numeric", month: "long" });
        return formatted(time, { year: "numeric", month: "short", day: "numeric" });
      }
      if (scale === "year") return formatted(time, { year: "numeric" });
      if (scale === "month") return formatted(time, { month: "short" });
      if (scale === "day" || scale === "weekday") return formatted(time, { day: "numeric" });
      return formatted(time, { hour: "numeric", minute: "2-digit" });
    };
  }

  // The width of the timeline's item area as laid out now (vis-timeline's own figure lags a resize).
  function centerWidth(container) {
    const lanes = container.querySelector(".vis-panel.vis-left");
    return container.clientWidth - (lanes ? lanes.offsetWidth : 0) - 2;
  }

  // The event a label stands for: its own, or a cluster's first.
  function eventOfLabel(label) {
    if (!label.classList.contains("cluster")) return label.dataset.event || null;
    const members = membersOf(label);
    return members.length ? String(members[0].event) : null;
  }

  // vis-timeline's bar for the current time carries only an English tooltip that no pointer reaches
  // (it lets clicks through); the page writes "Today" on it, in the reader's language.
  function nowMarker(container) {
    const bar = container.querySelector(".vis-current-time");
    if (!bar || bar.querySelector(".now-label")) return;
    bar.append(el("span", say("now"), { class: "now-label" }));
  }

  // The labels' font; before any item is drawn, read from a probe styled as one.
  function fontOf(container) {
    const content = container.querySelector(".vis-item-content");
    if (content) return getComputedStyle(content);
    const probe = el("span", null, { class: "vis-item", "aria-hidden": "true", hidden: "" });
    container.append(probe);
    const { fontSize, fontFamily } = getComputedStyle(probe);
    probe.remove();
    return { fontSize, fontFamily };
  }

  // Each zoom level, vis-timeline 8.5.4 looks for every new cluster's twin among all the old clusters,
  // building a set of each old cluster's item ids anew for every new cluster: quadratic, 1.5 s frozen
  // in a zoom at 5,000 events. Here the old clusters are indexed once per clustering, by their item ids,
  // and the library's own method gets the one match (or none) to reuse as it would have.
  function indexOldClusters(generator) {
    if (!generator || !generator._getClusterForItems || !generator.getClusters) return;
    const findCluster = generator._getClusterForItems;
    const getClusters = generator.getClusters;
    const key = (uiItems) => uiItems.map((item) => item.id).join(" ");
    let index = null;
    let indexed = null;
    generator.getClusters = function (...args) {
      index = null;
      return getClusters.apply(this, args);
    };
    generator._getClusterForItems = function (uiItems, group, oldClusters, options) {
      if (!index || indexed !== oldClusters) {
        indexed = oldClusters;
        index = new Map((oldClusters || []).map((cluster) => [key(cluster.data.uiItems), cluster]));
      }
      const twin = index.get(key(uiItems));
      return findCluster.call(this, uiItems, group, twin ? [twin] : [], options);
    };
  }

  // vis-timeline's own fit() draws every item, off screen too, to measure its label: at 5,000 events
  // that was 1.2 s of a 1.5 s first draw, only for the page to replace the window it found. Here fit()
  // (the first draw, and "Show all") frames the events by the page's measure, which draws nothing.
  function framingTimeline(container) {
    return class extends vis.Timeline {
      fit(options, callback) {
        const [start, end] = firstWindow(centerWidth(container), fontOf(container));
        const animation = !options || options.animation === undefined || options.animation;
        this.range.setRange(start, end, { animation }, callback);
      }
    };
  }

  function drawTimeline(container) {
    const many = items.length > 300;
    let [start, end] = [0, 0];
    const data = items.map(({ end: until, ...item }) => ({
      ...item,
      type: "point",
      days: until ? Math.round((dayOf(until) - dayOf(item.start)) / DAY) : 0,
    }));
    const lanes = groups.map((group) => ({
      id: group.id,
      content: typeName(group.id, true),
    }));
    let drawn;
    const initialDraw = new Promise((resolve) => (drawn = resolve));
    const Timeline = framingTimeline(container);
    timeline = new Timeline(container, new vis.DataSet(data), new vis.DataSet(lanes), {
      template: itemTemplate,
      groupTemplate: (group) => el("span", group ? group.content : ""),
      moment: (date) => vis.moment(date).utc(),
      format: { minorLabels: axisLabel(false), majorLabels: axisLabel(true) },
      locale: lang,
      locales: {
        en: { current: "current", time: "time", deleteSelected: "Delete selected" },
        "zh-hans": { current: "当前", time: "时间", deleteSelected: "删除" },
        "zh-hant": { current: "當前", time: "時間", deleteSelected: "刪除" },
      },
      // Today, as vis-timeline's current-time bar, labelled in the reader's language (nowMarker).
      showCurrentTime: true,
      stack: true,
      orientation: { axis: "top", item: "top" },
      margin: { item: { horizontal: 6, vertical: 8 }, axis: 6 },
      zoomMin: DAY,
      // The wheel scrolls the page; it zooms the timeline only with Ctrl held or once the timeline
      // has the focus (a click or Tab into it).
      zoomKey: "ctrlKey",
      verticalScroll: false,
      horizontalScroll: false,
      tooltip: { followMouse: true, overflowMethod: "cap" },
      cluster: many ? { maxItems: 3, showStipes: false, fitOnDoubleClick: true } : false,
      // The window is set once drawn, not by start/end options: with those, vis-timeline keeps its
      // loading screen (which swallows clicks) until the first range change a user makes.
      onInitialDrawComplete: () => {
        [start, end] = firstWindow(centerWidth(container), fontOf(container));
        const shown = timeline.getWindow();
        // Our fit() set this window before vis-timeline drew anything, which it does not redraw for.
        if (Math.abs(shown.start - start) < 2 && Math.abs(shown.end - end) < 2) timeline.redraw();
        else timeline.setWindow(new Date(start), new Date(end), { animation: false });
        scale();
        nowMarker(container);
        drawn();
      },
    });
    // Until the reader moves or zooms it, the timeline keeps framing the events as its width changes
    // (the detail panel opening beside it, a window resized), so no title is pushed off its edge.
    let laidOutWidth = container.getBoundingClientRect().width;
    // The observer's own figure is read, not clientWidth: reading a layout property here would force a
    // layout of every item each time the timeline grows as it draws.
    const observer = new ResizeObserver((entries) =>
      requestAnimationFrame(() => {
        const width = entries[entries.length - 1].borderBoxSize[0].inlineSize;
        if (!framed || !timeline || width === laidOutWidth) return;
        laidOutWidth = width;
        const label = labelOf(document.activeElement);
        const focused = label && eventOfLabel(label);
        timeline.redraw();
        [start, end] = firstWindow(centerWidth(container), fontOf(container));
        timeline.setWindow(new Date(start), new Date(end), { animation: false });
        scale();
        // Redrawing may replace the focused label, an event's or a cluster's: the focus stays on the
        // label that shows its event now.
        if (focused) focusItem(items[itemIndex.get(focused)]);
      }),
    );
    observer.observe(container);
    indexOldClusters(timeline.itemSet.clusterGenerator);
    timeline.on("rangechange", (properties) => {
      if (properties.byUser) framed = false;
    });
    function scale() {
      const range = timeline.getWindow();
      const pixels = timeline.body.domProps.centerContainer.width || container.clientWidth;
      container.style.setProperty("--day-px", `${(pixels * DAY) / (range.end - range.start)}px`);
    }
    // Bands are resized once a move or zoom ends: restyling every item on each frame of a gesture
    // would cost more than the gesture itself.
    timeline.on("rangechanged", scale);
    timeline.on("select", (properties) => {
      const id = properties.items[0];
      if (id === undefined || String(id).startsWith("cluster")) return;
      const item = timeline.itemsData.get(id);
      if (item) openDetail(item.event, container.querySelector(`.event[data-event="${item.event}"]`));
    });
    // Once the timeline has the focus, the wheel zooms it without Ctrl. The option is changed where
    // vis-timeline reads it, not through setOptions, which would redraw and drop the focus.
    const wheelZooms = (zooms) => {
      for (const options of [timeline.options, timeline.range.options]) options.zoomKey = zooms ? "" : "ctrlKey";
    };
    container.addEventListener("focusin", () => wheelZooms(true));
    container.addEventListener("focusout", (event) => {
      if (!container.contains(event.relatedTarget)) wheelZooms(false);
    });
    keepFocus(container);
    container.addEventListener("keydown", onTimelineKey);
    document.getElementById("cluster-list").addEventListener("keydown", onClusterListKey);
    document.getElementById("close-cluster-list").addEventListener("click", closeClusterList);
    for (const button of document.querySelectorAll("#zoom button")) {
      button.addEventListener("click", () => {
        framed = button.dataset.zoom === "fit";
        if (button.dataset.zoom === "in") timeline.zoomIn(0.5);
        else if (button.dataset.zoom === "out") timeline.zoomOut(0.5);
        else {
          [start, end] = firstWindow(centerWidth(container), fontOf(container));
          timeline.setWindow(new Date(start), new Date(end));
        }
      });
    }
    return initialDraw;
  }

  // vis-timeline draws a label anew, or hides it for a moment, as it regroups its clusters and as the
  // timeline is reframed; the browser then drops the keyboard focus onto the page's body. A label that
  // loses the focus that way (not to a click, nor to another element) gets it back on the label that
  // shows its event now.
  function keepFocus(container) {
    let focusedEvent = null;
    let pointing = false;
    document.addEventListener("pointerdown", () => (pointing = true), true);
    for (const type of ["pointerup", "pointercancel"]) {
      document.addEventListener(type, () => requestAnimationFrame(() => (pointing = false)), true);
    }
    container.addEventListener("focusin", (event) => {
      const label = labelOf(event.target);
      focusedEvent = label && eventOfLabel(label);
    });
    container.addEventListener("focusout", (event) => {
      const id = focusedEvent;
      if (!id || event.relatedTarget || pointing) return;
      requestAnimationFrame(() => {
        const lost = document.activeElement === null || document.activeElement === document.body;
        if (lost && document.hasFocus() && itemIndex.has(id)) focusItem(items[itemIndex.get(id)]);
      });
    });
  }

  // A cluster (more than 300 events drawn) is a button too: it names how many events it holds and
  // their dates, and Enter lists them (listCluster), so an event inside one is reachable as any other.
  const clusterMembers = new WeakMap(); // cluster label → vis-timeline's cluster data (its members change)

  function membersOf(label) {
    const cluster = clusterMembers.get(label);
    const members = cluster ? cluster.uiItems || [] : [];
    return members.map((member) => member.data).filter(Boolean).sort((a, b) => itemIndex.get(String(a.event)) - itemIndex.get(String(b.event)));
  }

  function clusterLabel(cluster) {
    const members = (cluster.uiItems || []).map((member) => member.data).filter(Boolean);
    const dates = members.map((member) => dayOf(member.start));
    const day = (time) => formatted(time, { year: "numeric", month: "long", day: "numeric" });
    const node = el("span", `${members.length}`, {
      class: "cluster",
      tabindex: "0",
      role: "button",
      "aria-label": say("cluster", { n: members.length, from: day(Math.min(...dates)), to: day(Math.max(...dates)) }),
    });
    clusterMembers.set(node, cluster);
    return node;
  }

  function listCluster(label) {
    const members = membersOf(label);
    const box = document.getElementById("cluster-list");
    const title = document.getElementById("cluster-list-title");
    title.textContent = label.getAttribute("aria-label").replace(/[.。][^.。]*[.。]?$/, "");
    const list = box.querySelector("ul");
    list.replaceChildren(
      ...members.map((item) => {
        const entry = el("button", null, { type: "button", class: "cluster-event", "data-event": item.event });
        entry.append(el("span", item.date_display, { class: "when" }), " ", el("span", item.label, { class: "what" }));
        entry.addEventListener("click", () => openDetail(item.event, entry));
        const row = el("li");
        row.append(entry);
        return row;
      }),
    );
    box.opener = label;
    box.members = members; // the cluster's label may be drawn anew while the list is open
    box.hidden = false;
    const first = list.querySelector("button");
    if (first) first.focus();
  }

  function closeClusterList() {
    const box = document.getElementById("cluster-list");
    if (box.hidden) return;
    box.hidden = true;
    const opener = box.opener;
    if (opener && document.contains(opener)) opener.focus();
    else if (opener) focusItem(box.members[0] || items[0]);
  }

  // In the list, the arrow keys move from one event to the next and Escape closes it (once the event
  // opened from it is closed).
  function onClusterListKey(event) {
    if (event.key === "Escape" && panel.hidden) {
      event.preventDefault();
      closeClusterList();
      return;
    }
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    if (!step || !event.target.matches(".cluster-event")) return;
    event.preventDefault();
    const buttons = [...event.currentTarget.querySelectorAll(".cluster-event")];
    const next = buttons[Math.min(Math.max(buttons.indexOf(event.target) + step, 0), buttons.length - 1)];
    next.focus();
  }

  // Arrow keys walk the events and clusters in date order (the timeline moves to show each); Enter
  // opens an event, or lists a cluster's events.
  function onTimelineKey(event) {
    const focused = labelOf(event.target);
    if (!focused) return;
    const isCluster = focused.classList.contains("cluster");
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (isCluster) listCluster(focused);
      else openDetail(focused.dataset.event, focused);
      return;
    }
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    // The labels drawn now (events and clusters), in the order of their first event; past the last
    // one drawn, the step is from the focused label's last event (forwards) or first (backwards).
    const firstOf = (label) => {
      const members = label.classList.contains("cluster") ? membersOf(label) : [{ event: label.dataset.event }];
      return members.length ? itemIndex.get(String(members[0].event)) : Infinity;
    };
    const labels = [...document.getElementById("timeline").querySelectorAll(LABEL)]
      .map((label) => [firstOf(label), label])
      .sort((a, b) => a[0] - b[0])
      .map(([, label]) => label);
    const neighbour = labels[labels.indexOf(focused) + step];
    if (neighbour) {
      neighbour.focus();
      return;
    }
    const members = isCluster ? membersOf(focused) : [{ event: focused.dataset.event }];
    const edge = members[step > 0 ? members.length - 1 : 0];
    if (!edge) return;
    const index = itemIndex.get(String(edge.event));
    const next = items[Math.min(Math.max(index + step, 0), items.length - 1)];
    focusItem(next);
  }

  // The label of an event, or of the cluster that holds it now.
  function shownLabel(item) {
    const label = document.querySelector(`#timeline .event[data-event="${item.event}"]`);
    if (label) return label;
    for (const cluster of document.querySelectorAll("#timeline .cluster")) {
      if ((clusterMembers.get(cluster)?.uiItems || []).some((member) => member.data && member.data.event === item.event)) return cluster;
    }
    return null;
  }

  function focusItem(item) {
    const find = () => shownLabel(item);
    const target = find();
    const window_ = timeline.getWindow();
    const at = dayOf(item.start);
    if (!target || at < window_.start.valueOf() || at > window_.end.valueOf()) {
      framed = false;
      timeline.moveTo(new Date(at), { animation: false });
    }
    // vis-timeline draws on a later frame, and a reframe (the detail panel closing beside it) may
    // draw the label anew: look for it for up to a second of frames.
    // It stops if the reader has meanwhile moved the focus to another label.
    const from = document.activeElement;
    const movedOn = () => document.activeElement !== from && labelOf(document.activeElement) === document.activeElement;
    let frames = 60;
    const attempt = () => {
      if (movedOn()) return;
      const shown = find();
      if (shown && shown.isConnected) {
        if (shown !== document.activeElement) shown.focus();
      } else if (--frames > 0) requestAnimationFrame(attempt);
    };
    requestAnimationFrame(() => requestAnimationFrame(attempt));
  }

  // --- The agenda (phones) ------------------------------------------------------------------------

  function drawAgenda(container) {
    const periods = new Map();
    for (const item of items) {
      const year = item.className.includes("precision-year");
      const key = year ? item.start.slice(0, 4) : item.start.slice(0, 7);
      if (!periods.has(key)) periods.set(key, []);
      periods.get(key).push(item);
    }
    const sections = [];
    for (const [key, members] of periods) {
      const time = dayOf(key.length === 4 ? `${key}-01-01` : `${key}-01`);
      const heading = key.length === 4 ? formatted(time, { year: "numeric" }) : formatted(time, { year: "numeric", month: "long" });
      const section = el("section", null, { class: "period", "aria-label": heading });
      section.append(el("h2", heading));
      const list = el("ul");
      for (const item of members) {
        const entry = el("button", null, { type: "button", class: "agenda-item", "data-event": item.event });
        entry.append(
          el("span", item.date_display, { class: "when" }),
          el("span", item.label, { class: "what" }),
          el("span", typeName(item.group, true), { class: "kind" }),
        );
        entry.addEventListener("click", () => openDetail(item.event, entry));
        const row = el("li");
        row.append(entry);
        list.append(row);
      }
      section.append(list);
      sections.push(section);
    }
    container.replaceChildren(...sections);
    container.hidden = false;
  }

  // --- The story (TimelineJS, one slide per event) ------------------------------------------------

  // Event id → its actors, read from the public API with the page's filters (500 a page, at most 20).
  async function actorsByEvent() {
    const found = new Map();
    const query = filterQuery();
    query.set("limit", "500");
    let url = withQuery("/api/v1/events/", query);
    for (let page = 0; url && page < 20; page++) {
      let body;
      try {
        body = await getJson(url);
      } catch (error) {
        break;
      }
      for (const event of body.results) found.set(String(event.id), event.actors);
      url = body.next;
    }
    return found;
  }

  async function drawStory(container) {
    for (const id of ["overview", "zoom", "timeline"]) document.getElementById(id).hidden = true;
    container.hidden = false;
    let feed;
    try {
      feed = await getJson(withQuery("/api/v1/feeds/timelinejs/", filterQuery()));
    } catch (error) {
      statusLine.textContent = error.message;
      statusLine.classList.add("error");
      return;
    }
    // Each slide names its actors and their roles (the feed's slides carry the summary and sources).
    const actors = await actorsByEvent();
    for (const event of feed.events || []) {
      // The feed's lanes are type codes: TimelineJS shows them as they are, so they are named here.
      if (event.group && config.labels.type_short[event.group]) event.group = typeName(event.group, true);
      const named = actors.get(String(event.unique_id).replace(/^event-/, "")) || [];
      if (!named.length) continue;
      const line = el("p", `${say("actors")}: `, { class: "story-actors" });
      line.append(named.map((actor) => `${actor.name} (${config.labels.role[actor.role] || actor.role})`).join(lang === "en" ? ", " : "、"));
      event.text = { ...(event.text || {}), text: line.outerHTML + ((event.text && event.text.text) || "") };
    }
    statusLine.textContent = countText((feed.events || []).length);
    // The title slide in the page's words (the feed's own is written for feed readers, in English).
    const heading = el("p", countText((feed.events || []).length));
    feed.title = { text: { headline: el("span", say("title")).innerHTML, text: heading.outerHTML } };
    await new Promise((resolve, reject) => {
      const style = el("link", null, { rel: "stylesheet", href: "/static/web/vendor/timelinejs/css/timeline.css" });
      const script = el("script", null, { src: "/static/web/vendor/timelinejs/js/timeline.js" });
      script.addEventListener("load", resolve);
      script.addEventListener("error", reject);
      document.head.append(style, script);
    });
    let story;
    await new Promise((resolve) => {
      // On phones TimelineJS writes ontouchstart=" " on its buttons (an old iOS trick for :active
      // styles), while it builds and afterwards: an inline handler, which the page's CSP refuses with
      // an error. In the story view, that one attribute is never written (the page itself writes none).
      const setAttribute = Element.prototype.setAttribute;
      Element.prototype.setAttribute = function (name, value) {
        if (name !== "ontouchstart") setAttribute.call(this, name, value);
      };
      // hash_bookmark: each slide has its own address (#event-<id>), so a slide is a link.
      story = new TL.Timeline(container, feed, {
        font: null,
        language: { en: "en", "zh-hans": "zh-cn", "zh-hant": "zh-tw" }[lang],
        script_path: "/static/web/vendor/timelinejs/js/",
        hash_bookmark: true,
        timenav_position: "bottom",
        timenav_height_percentage: 25,
      });
      story.on("loaded", resolve);
    });
    // Once loaded (loading itself moves to the title slide), a move to another slide is the reader's.
    story.on("change", () => dismissSwipeNotice(container));
    container.addEventListener("click", () => dismissSwipeNotice(container));
    container.addEventListener("touchend", () => dismissSwipeNotice(container));
  }

  // On touch screens TimelineJS lays "Swipe to navigate" over the slides, and that notice took the
  // very swipe it asks for (only a tap on it went away). The stylesheet lets touches through it to the
  // slides; the first touch, click or slide change dismisses it.
  function dismissSwipeNotice(container) {
    const notice = container.querySelector(".tl-message-full");
    if (notice) notice.style.display = "none";
  }

  // --- The detail panel -------------------------------------------------------------------------

  function queryWithEvent(eventId) {
    const query = new URLSearchParams(window.location.search);
    if (eventId === null) query.delete("event");
    else query.set("event", eventId);
    const text = query.toString();
    return text ? `?${text}` : window.location.pathname;
  }

  // Opening an event is a step in the history, so that the back button closes it again.
  function openDetail(eventId, from) {
    opener = from || null;
    if (new URLSearchParams(window.location.search).get("event") !== String(eventId)) {
      history.pushState({ event: String(eventId) }, "", queryWithEvent(eventId));
    }
    return showDetail(eventId);
  }

  async function showDetail(eventId) {
    let event;
    try {
      event = await getJson(withQuery(`/api/v1/events/${encodeURIComponent(eventId)}/`, new URLSearchParams({ lang })));
    } catch (error) {
      return;
    }
    document.getElementById("detail-title").textContent = event.title;
    document.getElementById("detail-date").textContent = `${event.date_display || ""} · ${typeName(event.type)}`;
    document.getElementById("detail-summary").textContent = event.summary || "";
    const actors = document.getElementById("detail-actors");
    actors.replaceChildren(
      ...event.actors.map((actor) => {
        const item = el("li");
        item.append(el("a", actor.name, { href: withQuery(`/actors/${encodeURIComponent(actor.slug)}/`, new URLSearchParams({ lang })) }));
        item.append(` — ${config.labels.role[actor.role] || actor.role}`);
        return item;
      }),
    );
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
    document.body.classList.add("detail-open");
    panel.focus({ preventScroll: true });
    if (PHONE.matches) panel.scrollTop = 0;
    else panel.scrollIntoView({ block: "nearest" });
  }

  function hideDetail() {
    if (panel.hidden) return;
    panel.hidden = true;
    document.body.classList.remove("detail-open");
    if (timeline) timeline.setSelection([]);
    // The opener may have been drawn anew meanwhile (the timeline reframes as the panel closes).
    const again = opener && document.querySelector(`[data-event="${opener.dataset.event}"]`);
    const target = opener && document.contains(opener) ? opener : again;
    if (target) target.focus();
  }

  function closeDetail() {
    if (history.state && history.state.event) history.back(); // popstate hides it
    else {
      history.replaceState(null, "", queryWithEvent(null));
      hideDetail();
    }
  }

  document.getElementById("close-detail").addEventListener("click", closeDetail);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) closeDetail();
  });
  window.addEventListener("popstate", () => {
    const eventId = new URLSearchParams(window.location.search).get("event");
    if (eventId) showDetail(eventId);
    else hideDetail();
  });

  // --- Start ------------------------------------------------------------------------------------

  async function loadItems() {
    let body;
    try {
      body = await getJson(config.urls.vis); // the server named it, and the page's head preloads it
    } catch (error) {
      statusLine.textContent = error.message;
      statusLine.classList.add("error");
      return false;
    }
    const at = new Map(body.items.map((item) => [item, dayOf(item.start)]));
    items = body.items.slice().sort((a, b) => at.get(a) - at.get(b) || a.event - b.event);
    itemIndex = new Map(items.map((item, index) => [String(item.event), index]));
    groups = body.groups;
    statusLine.textContent = countText(items.length);
    return true;
  }

  async function draw() {
    if (config.view === "story") {
      await drawStory(document.getElementById("story"));
      return;
    }
    const histogram = fetchHistogram();
    if (!(await loadItems())) return;
    performance.mark("timeline-feed");
    const timelineBox = document.getElementById("timeline");
    let moved = null;
    if (PHONE.matches) {
      timelineBox.hidden = true;
      document.getElementById("zoom").hidden = true;
      drawAgenda(document.getElementById("agenda"));
    } else if (items.length) {
      await drawTimeline(timelineBox);
    }
    performance.mark("timeline-drawn");
    const [start, end] = timeline ? [timeline.getWindow().start.valueOf(), timeline.getWindow().end.valueOf()] : dataSpan();
    moved = await drawHistogram(histogram, start, end);
    if (moved && timeline) {
      moved(start, end);
      timeline.on("rangechanged", (range) => moved(range.start.valueOf(), range.end.valueOf()));
    }
    const selected = params.get("event");
    if (selected) {
      // A deep link: the page without the event first, so that the back button closes the panel.
      history.replaceState(null, "", queryWithEvent(null));
      history.pushState({ event: selected }, "", queryWithEvent(selected));
      const item = items.find((candidate) => String(candidate.event) === selected);
      if (item && timeline) {
        timeline.setSelection([item.id]);
        const shown = timeline.getWindow();
        if (dayOf(item.start) < shown.start.valueOf() || dayOf(item.start) > shown.end.valueOf()) {
          framed = false;
          timeline.moveTo(new Date(dayOf(item.start)), { animation: false });
        }
      }
      await showDetail(selected);
    }
  }

  setUpForm();
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  // data-ready: everything is drawn and laid out (the browser tests and the benchmark wait for it).
  Promise.all([loadActors(), draw()])
    .then(nextFrame)
    .then(() => {
      performance.mark("timeline-ready");
      document.body.setAttribute("data-ready", "true");
    });
})();
