"""The browser harness of the tests: Debian's headless Chromium through Playwright, offline.

Every request is routed: a page may load only its own file (and, with ``allow``, the files of
the folder it belongs to: a site's style sheet), and the tests fail if anything else is asked
for. Skipped, with the reason, where /usr/bin/chromium or Playwright is missing (CI installs
both); never a browser downloaded by Playwright.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

HOSTILE = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=3\">",
    "</script><script>window.__xss=4</script><!--",
    "'\"--></style></script><svg onload=window.__xss=9>",
    "\" onmouseover=\"window.__xss=13\" x=\"",
    "javascript:window.__xss=14",
]
BAD_URLS = "javascript:window.__xss=5 JaVaScRiPt:window.__xss=6 data:text/html,<script>window.__xss=7</script>"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium here: install Debian's chromium package to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Opened:
    """A page and what happened while it was open: requests, console errors, dialogs."""

    def __init__(self, page, url: str, allow: Callable[[str], bool] | None = None):
        self.page, self.url, self.allow = page, url, allow
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def assert_clean(self) -> None:
        assert self.blocked == [], f"the page asked for other resources: {self.blocked}"
        assert all(u == self.url or (self.allow and self.allow(u)) for u in self.requests), self.requests
        assert self.errors == [], self.errors
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.page.evaluate("typeof window.__xss") == "undefined", "an injected script ran"
        if self.allow is not None:  # a page of a folder: its links stay in it, or go to http(s)
            links = self.page.evaluate("""() => Array.from(document.querySelectorAll('a'), a =>
                new URL(a.getAttribute('href') || a.getAttribute('xlink:href') || '#', document.baseURI).href)""")
            for link in links:
                assert self.allow(link) or link.startswith(("http://", "https://")), link


@pytest.fixture
def open_page(browser):
    contexts = []

    def go(path: Path | None = None, *, content: str | None = None, width: int = 1280, height: int = 800,
           ready: str = "body[data-ready=true]", fragment: str = "",
           allow: Callable[[str], bool] | None = None) -> Opened:
        ctx = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
        contexts.append(ctx)
        page = ctx.new_page()
        url = path.resolve().as_uri() if path is not None else "about:blank"
        opened = Opened(page, url, allow)

        def route(r):
            u = r.request.url
            opened.requests.append(u)
            if u == url or (allow is not None and allow(u)):
                r.continue_()
            else:
                opened.blocked.append(u)
                r.abort()

        ctx.route("**/*", route)
        page.on("request", lambda req: opened.requests.append(req.url) if req.url not in opened.requests else None)
        page.on("websocket", lambda ws: opened.blocked.append(ws.url))
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def on_dialog(d):
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        if content is not None:
            page.set_content(content)
        else:
            page.goto(url + fragment)
        if ready:
            page.wait_for_selector(ready, state="attached", timeout=30_000)
        return opened

    yield go
    for ctx in contexts:
        ctx.close()




def inside(folder: Path) -> Callable[[str], bool]:
    """An ``allow`` rule for :func:`open_page`: any file under ``folder`` (a site's pages and style sheet)."""
    root = folder.resolve().as_uri().rstrip("/") + "/"
    return lambda url: url.split("#", 1)[0].startswith(root)
