"""The timeline page in headless Chromium: first render, and frame times while panning and zooming,
beside vis-timeline alone drawing the same items (so the page's own overhead is known).

Against a running server (it starts none):

    .venv/bin/python bench/page_bench.py http://127.0.0.1:8000 "/?date_from=2024-11-01" "/"

For each page path: the median of ``--loads`` loads of navigation start → the page's ``timeline-ready``
mark; then one drag across the timeline (pan) and ten Ctrl+wheel steps (zoom), timed frame by frame
with requestAnimationFrame, and the long tasks (> 50 ms) the browser reports meanwhile. The same pan
and zoom are then run on a bare page holding only vis-timeline with the page's items and default
options.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

CHROMIUM = "/usr/bin/chromium"

# Frame intervals and long tasks, recorded from now until ``window.__stopFrames()``.
RECORD_FRAMES = """() => {
  window.__frames = []; window.__long = [];
  let last = performance.now(), running = true;
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__long.push(entry.duration);
  });
  observer.observe({ entryTypes: ['longtask'] });
  window.__stopFrames = () => {
    running = false;
    observer.disconnect();
    return [window.__frames, window.__long];
  };
}"""

BARE_VIS = """async (query) => {
  const body = await (await fetch('/api/v1/feeds/vis/?' + query)).json();
  document.body.replaceChildren();
  const box = document.createElement('div');
  box.id = 'bare';
  document.body.append(box);
  const items = body.items.map(({ end, ...item }) => ({ ...item, type: 'point' }));
  await new Promise((resolve) => {
    window.bare = new vis.Timeline(box, new vis.DataSet(items), new vis.DataSet(body.groups), {
      stack: true, zoomKey: 'ctrlKey', cluster: items.length > 300 ? { maxItems: 3 } : false,
      onInitialDrawComplete: resolve,
    });
  });
  return items.length;
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def pan_and_zoom(page: Any, area: str) -> dict[str, float]:
    box = page.locator(area).bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 200))
    page.evaluate(RECORD_FRAMES)
    page.mouse.move(*middle)
    page.mouse.down()
    page.mouse.move(middle[0] - box["width"] / 3, middle[1], steps=30)
    page.mouse.up()
    page.keyboard.down("Control")
    for _ in range(10):
        page.mouse.wheel(0, -120)
        page.wait_for_timeout(50)
    page.keyboard.up("Control")
    page.wait_for_timeout(300)
    frames, long_tasks = page.evaluate("window.__stopFrames()")
    frames = frames[1:]  # the first interval started before the gesture
    return {
        "frames": len(frames),
        "p95_ms": percentile(frames, 0.95),
        "max_ms": max(frames, default=0.0),
        "long_tasks": len(long_tasks),
        "longest_task_ms": max(long_tasks, default=0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="The server, e.g. http://127.0.0.1:8000")
    parser.add_argument("paths", nargs="+", help="Page paths, e.g. / or /?date_from=2024-11-01")
    parser.add_argument("--loads", type=int, default=3, help="Loads per path (default 3).")
    arguments = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path in arguments.paths:
            renders = []
            for _ in range(arguments.loads):
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                page.goto(arguments.base + path)
                page.wait_for_selector("body[data-ready=true]", timeout=120_000)
                renders.append(
                    page.evaluate(
                        "['timeline-feed', 'timeline-drawn', 'timeline-ready']"
                        ".map((name) => Math.round(performance.getEntriesByName(name)[0].startTime))"
                    )
                )
                shown = page.locator("#status").text_content()
                page.close()
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(arguments.base + path)
            page.wait_for_selector("body[data-ready=true]", timeout=120_000)
            own = pan_and_zoom(page, "#timeline .vis-panel.vis-center")
            query = path.split("?", 1)[1] if "?" in path else ""
            page.evaluate(BARE_VIS, query)
            bare = pan_and_zoom(page, "#bare .vis-panel.vis-center")
            page.close()
            ready = statistics.median(render[2] for render in renders)
            print(f"{path}: {shown}; first render median {ready:.0f} ms; [feed, drawn, ready] ms: {renders}")
            print(f"  page pan+zoom: {own}")
            print(f"  vis-timeline alone: {bare}")
        browser.close()


if __name__ == "__main__":
    main()
