"""How fast the offline pages open in headless Chromium: the network view and the timeline.

Run from the repository root (Debian's chromium at /usr/bin/chromium, the test extra installed)::

    .venv/bin/python benchmarks/views.py                 # 5 repeats, writes benchmarks/VIEWS.md
    .venv/bin/python benchmarks/views.py --repeats 2 -o /tmp/views.md

Targets (issue 14): the 2,000-node view is *still and readable* within 3 s of opening, and the
timeline of the grown data set *opens* within 1 s. "Opening" is measured inside the page, as
``performance.now()`` when the page is ready (the first drawing is done and the labels are
placed; for the timeline, the SVG is drawn on its opening years): milliseconds since the
navigation started, so it includes reading and parsing the file, vis-network, the page script
and the first frame. "Still" is checked by comparing every node position 0.5 s later;
"readable" by the placed labels, whose boxes must not overlap.

Each figure comes with a baseline measured in the same browser, in the same run, interleaved:
the same page code on a 20-node graph (for the view) and on a 4-item timeline (for the
timeline), so that a slow machine shows as a slow baseline and the ratio stays meaningful.
Nothing is timed in the test suite (tests/test_view_browser.py checks still, readable and
correct, without a clock).
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def typed_graph(n: int, seed: int = 1):
    """A projection-shaped graph of n nodes (kinds, labels, dates, sources, labelled links)."""
    import networkx as nx

    rnd = random.Random(seed)
    kinds = ["organisation"] * 5 + ["person"] * 2 + ["milestone"] * 2 + ["event", "place"]
    preds = ["org:memberOf", "eli:cites", "schema:organizer", "schema:attendee", "schema:location"]
    G = nx.MultiDiGraph()
    for i in range(n):
        kind = kinds[i % len(kinds)]
        attrs = {"label": f"{kind.title()} {i}", "type": kind, "iri": f"https://w3id.org/ssegraph/id/n{i}",
                 "sources": f"https://example.org/{i}"}
        if kind == "milestone":
            attrs.update(symbol=f"X/{i}", date=f"{rnd.randint(1990, 2025)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}")
        if kind == "organisation" and i % 3 == 0:
            attrs.update(acronym=f"O{i}", founded=str(rnd.randint(1900, 2020)))
        G.add_node(f"id:n{i}", **attrs)
    for j, (u, v) in enumerate(nx.barabasi_albert_graph(n, 2, seed=seed).edges()):
        G.add_edge(f"id:n{u}", f"id:n{v}", id=f"e{j}", label="linked to", predicate=preds[j % len(preds)],
                   start=str(rnd.randint(2000, 2024)) if j % 4 == 0 else "")
    return G


_READABLE = """() => {
  const boxes = ssegraph.labelBoxes() || [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) return -1;
  }
  return boxes.length;
}"""


@contextlib.contextmanager
def offline_page(browser, path: Path):
    """A page opened on ``path`` with every other request refused, once it is ready."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    url = path.resolve().as_uri()
    ctx.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
    try:
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
        yield page
    finally:
        ctx.close()


def open_view(browser, path: Path) -> tuple[float, bool, int]:
    """Seconds from navigation to ready; whether nothing moved 0.5 s later; labels placed (-1: overlap)."""
    with offline_page(browser, path) as page:
        ready = page.evaluate("ssegraph.readyAt") / 1000
        before = page.evaluate("JSON.stringify(ssegraph.network.getPositions())")
        page.wait_for_timeout(500)
        still = page.evaluate("JSON.stringify(ssegraph.network.getPositions())") == before
        return ready, still, page.evaluate(_READABLE)


def open_timeline(browser, path: Path) -> float:
    with offline_page(browser, path) as page:
        return page.evaluate("ssegraphTimeline.readyAt") / 1000


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s ({min(values):.3f}–{max(values):.3f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--nodes", type=int, default=2000)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "benchmarks" / "VIEWS.md")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    import ssegraph
    from ssegraph.view import write_html

    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium package", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        write_html(typed_graph(args.nodes), work / "big.html", title=f"{args.nodes:,} nodes")
        generate_big = time.perf_counter() - t0
        write_html(typed_graph(20), work / "small.html", title="20 nodes")
        kg = ssegraph.load(cache_dir=work / "cache")
        t0 = time.perf_counter()
        grown = kg.timeline(work / "timeline.html")
        generate_timeline = time.perf_counter() - t0
        small_kg = ssegraph.load([ROOT / "tests" / "data" / "view-small.ttl", ROOT / "ontology"],
                                 cache_dir=work / "cache")
        small_kg.timeline(work / "timeline-small.html")

        big, small, tl, tl_small = [], [], [], []
        still_all, labels_min = True, None
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                open_view(browser, work / "small.html")  # warm-up, not counted
                for _ in range(args.repeats):
                    small.append(open_view(browser, work / "small.html")[0])
                    ready, still, labels = open_view(browser, work / "big.html")
                    big.append(ready)
                    still_all &= still
                    labels_min = labels if labels_min is None else min(labels_min, labels)
                    tl_small.append(open_timeline(browser, work / "timeline-small.html"))
                    tl.append(open_timeline(browser, work / "timeline.html"))
                version = browser.version
            finally:
                browser.close()

    big_ok = statistics.median(big) <= 3.0 and still_all and (labels_min or 0) > 0
    tl_ok = statistics.median(tl) <= 1.0
    lines = [
        "# Opening the offline pages in headless Chromium",
        "",
        f"Made by `benchmarks/views.py --repeats {args.repeats}`: Chromium {version}, Python "
        f"{platform.python_version()}, {platform.machine()}, ssegraph {ssegraph.__version__}. Medians (min–max) of "
        "the time from navigation to a ready page, read inside the page (`performance.now()`).",
        "",
        "| What | Time | Baseline (same run) | Ratio | Target | Met |",
        "|---|---|---|---|---|---|",
        f"| {args.nodes:,}-node view: still and labelled | {fmt(big)} | 20-node view {fmt(small)} | "
        f"{statistics.median(big) / statistics.median(small):.1f}× | ≤ 3 s, still, labels not overlapping | "
        f"{'yes' if big_ok else 'NO'} |",
        f"| Timeline of the bundled data ({grown.nodes} items, {len(grown.data.lanes)} lanes) | {fmt(tl)} | "
        f"4-item timeline {fmt(tl_small)} | {statistics.median(tl) / statistics.median(tl_small):.1f}× | ≤ 1 s | "
        f"{'yes' if tl_ok else 'NO'} |",
        "",
        f"The {args.nodes:,}-node view: nothing moved 0.5 s after opening in every run: "
        f"{'yes' if still_all else 'NO'}; labels placed at the opening zoom, none overlapping: "
        f"{labels_min if labels_min and labels_min > 0 else 'NO'}. "
        f"Writing the pages (Python, not timed against a target): {args.nodes:,}-node view {generate_big:.2f} s, "
        f"timeline of the bundled data {generate_timeline:.2f} s.",
        "",
    ]
    text = "\n".join(lines)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0 if big_ok and tl_ok else 1


if __name__ == "__main__":
    sys.exit(main())
