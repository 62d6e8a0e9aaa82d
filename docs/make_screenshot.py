"""Make the pictures in docs/ with the README's own commands, drawn by the tests' browser.

Run from the repository root::

    .venv/bin/python docs/make_screenshot.py   # docs/view.png, view-selected.png, timeline.png, site-entity.png

It runs the commands the README shows (``ssegraph view -o sse.html``, ``ssegraph timeline -o
timeline.html`` and ``ssegraph site -o site``, as ``python -m ssegraph`` of this interpreter),
opens the pages in Debian's headless Chromium with the same flags as ``tests/test_view_browser.py``,
refuses every request other than the page itself (so the picture is what an offline reader sees) and saves a
screenshot of the first screen. ``view-selected.png`` is the same page opened with a link that
selects the ILO (``sse.html#sel=id%3Ailo``): the selection lives in the URL. ``site-entity.png`` is
the ILO's page of the static site (``site/id/ilo.html``, which runs no script: the picture is taken
once its style sheets have loaded, and only files inside ``site/`` may load). The pages are kept in
a temporary folder and thrown away.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DOCS = Path(__file__).resolve().parent
#: The README's commands (README.md "Views" shows them with .venv/bin/ssegraph); tests check they match.
VIEW_COMMAND = ("view", "-o", "sse.html")
TIMELINE_COMMAND = ("timeline", "-o", "timeline.html")
SITE_COMMAND = ("site", "-o", "site")
#: The entity page of the site shown in docs/site-entity.png (the ILO's).
SITE_ENTITY_PAGE = "id/ilo.html"
#: The link that opens the view with the ILO selected.
SELECTED = "#sel=id%3Ailo"


def screenshot(page_path: Path, out: Path, *, width: int = 1400, height: int = 860, hover: str | None = None,
               fragment: str = "", browser=None, ready: str | None = "body[data-ready=true]",
               allow: Path | None = None) -> Path:
    """Open ``page_path`` (with ``fragment``) offline in headless Chromium; save a PNG of the viewport.

    ``hover`` names a node (by label, acronym or symbol) that the picture should show selected.
    ``browser`` is a Playwright browser already launched (the tests pass theirs); by default
    Debian's chromium is launched for the occasion. ``ready`` is the selector the page sets once
    drawn (None for a page without script: then the load event); ``allow`` a folder whose files
    the page may load besides itself (a site's style sheets), every other request is refused.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        if not CHROMIUM.exists():
            raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium package")
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                return screenshot(page_path, out, width=width, height=height, hover=hover, fragment=fragment,
                                  browser=launched, ready=ready, allow=allow)
            finally:
                launched.close()
    url = page_path.resolve().as_uri()
    ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    try:
        inside = allow.resolve().as_uri() + "/" if allow is not None else None

        def allowed(request_url: str) -> bool:
            return request_url == url or (inside is not None and request_url.startswith(inside)
                                          and ".." not in request_url[len(inside):])

        ctx.route("**/*", lambda r: r.continue_() if allowed(r.request.url) else r.abort())
        page = ctx.new_page()
        page.goto(url + fragment, wait_until="load")
        if ready:
            page.wait_for_selector(ready, state="attached", timeout=60_000)
        if hover:
            page.evaluate("(label) => ssegraph.search(label)", hover)
            page.wait_for_timeout(400)
        page.wait_for_timeout(300)
        page.screenshot(path=str(out))
    finally:
        ctx.close()
    return out


def run(command: tuple[str, ...], folder: Path, cache_dir: Path | None) -> None:
    """Run one README command (``ssegraph …``) in ``folder``, as this interpreter's ``python -m ssegraph``."""
    extra = ["--cache-dir", str(cache_dir)] if cache_dir else []
    subprocess.run([sys.executable, "-m", "ssegraph", *extra, *command], cwd=folder, check=True)


def main(argv: list[str] | None = None) -> None:
    """Write docs/view.png, docs/view-selected.png, docs/timeline.png and docs/site-entity.png from the
    bundled data."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=DOCS)
    ap.add_argument("--cache-dir", type=Path, default=None)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run(VIEW_COMMAND, folder, args.cache_dir)
        page = folder / VIEW_COMMAND[-1]
        print(screenshot(page, args.out_dir / "view.png"))
        print(screenshot(page, args.out_dir / "view-selected.png", fragment=SELECTED))
        run(TIMELINE_COMMAND, folder, args.cache_dir)
        print(screenshot(folder / TIMELINE_COMMAND[-1], args.out_dir / "timeline.png", height=900))
        run(SITE_COMMAND, folder, args.cache_dir)
        site = folder / SITE_COMMAND[-1]
        print(screenshot(site / SITE_ENTITY_PAGE, args.out_dir / "site-entity.png", width=1280, height=1500,
                         ready=None, allow=site))


if __name__ == "__main__":
    main()
