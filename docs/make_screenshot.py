"""Make the pictures in docs/: real views of the bundled data, drawn by the tests' browser.

Run from the repository root::

    .venv/bin/python docs/make_screenshot.py            # docs/view.png and docs/timeline.png
    .venv/bin/python docs/make_screenshot.py --focus UNTFSSE --depth 2

It writes the pages with the library (as ``ssegraph view`` and ``ssegraph timeline`` do), opens
them in Debian's headless Chromium with the same flags as ``tests/test_view_browser.py``, refuses
every request other than the page itself (so the picture is what an offline reader sees) and
saves a screenshot. The pages are kept in a temporary folder and thrown away.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DOCS = Path(__file__).resolve().parent


def screenshot(page_path: Path, out: Path, *, width: int = 1400, height: int = 860, hover: str | None = None,
               browser=None) -> Path:
    """Open ``page_path`` offline in headless Chromium and save a PNG of the viewport to ``out``.

    ``hover`` names a node (by label) whose neighbourhood and details the picture should show.
    ``browser`` is a Playwright browser already launched (the tests pass theirs); by default
    Debian's chromium is launched for the occasion.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        if not CHROMIUM.exists():
            raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium package")
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                return screenshot(page_path, out, width=width, height=height, hover=hover, browser=launched)
            finally:
                launched.close()
    url = page_path.resolve().as_uri()
    ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    try:
        ctx.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
        if hover:
            page.evaluate("(label) => ssegraph.search(label)", hover)
            page.evaluate("ssegraph.fit()")
            page.wait_for_timeout(400)
        page.wait_for_timeout(300)
        page.screenshot(path=str(out))
    finally:
        ctx.close()
    return out


def main(argv: list[str] | None = None) -> None:
    """Write docs/view.png (and docs/timeline.png) from the bundled data."""
    import ssegraph

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=DOCS)
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--focus", default=None, help="ego network of this entity instead of the whole graph")
    ap.add_argument("--depth", type=int, default=1)
    ap.add_argument("--types", default=None, help="comma-separated entity kinds to keep")
    ap.add_argument("--select", default="", help="highlight this node's neighbourhood (default: none)")
    ap.add_argument("--no-timeline", action="store_true")
    args = ap.parse_args(argv)

    kg = ssegraph.load(cache_dir=args.cache_dir)
    selection = {"focus": args.focus, "depth": args.depth}
    if args.types:
        selection["types"] = tuple(t.strip() for t in args.types.split(",") if t.strip())
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "view.html"
        v = kg.view(page, **selection)
        shot = screenshot(page, args.out_dir / "view.png", hover=args.select or None)
        print(f"{shot}: {v.nodes} nodes, {v.edges} links")
        if not args.no_timeline:
            page = Path(tmp) / "timeline.html"
            t = kg.timeline(page, since=2008, width=1390)
            shot = screenshot(page, args.out_dir / "timeline.png", height=900)
            print(f"{shot}: {t.nodes} items, {t.edges} links")


if __name__ == "__main__":
    main()
