"""Build the site: gather the entity index once, let each section write its pages, swap the
finished folder into place."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .context import SiteContext, entity_index


def _sections() -> list[tuple[str, Callable[[SiteContext], None]]]:
    """The section writers, in the order they run (the home page last: it links to the others)."""
    from . import entities, gallery, home, lists, views

    return [("views", views.write), ("entities", entities.write), ("lists", lists.write),
            ("gallery", gallery.write), ("home", home.write)]


@dataclass
class SiteReport:
    """What :func:`build_site` wrote."""

    folder: Path
    pages: int
    entities: int
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_text(self) -> str:
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
        return (f"wrote the site to {self.folder}: {self.pages:,} pages, {self.entities:,} entity pages, "
                f"in {self.seconds:.1f} s ({parts}); open {self.folder / 'index.html'}")


def build_site(kg: Any, folder: str | os.PathLike[str], *, force: bool = False, lang: str = "en",
               endpoint: str | None = None, query_timeout: float | None = 30.0) -> SiteReport:
    """Write the static site of ``kg`` to ``folder``: the Python twin of ``ssegraph site``.

    Parameters
    ----------
    kg:
        A loaded :class:`~ssegraph.KnowledgeGraph` (``ssegraph.load()``).
    folder:
        Where to write; created, or replaced as a whole when ``force`` is true. The site is built
        in a temporary folder beside it and renamed into place, so a failed or interrupted build
        leaves ``folder`` as it was.
    lang:
        The language labels are chosen in (others still show on each entity page).
    endpoint:
        A SPARQL endpoint URL the query gallery links to ("run it live"); none by default.
    query_timeout:
        Seconds each query of the gallery may run before it is stopped and its page says so
        (None: no limit). ``ssegraph site`` passes the global ``--timeout``.

    Returns
    -------
    SiteReport

    Raises
    ------
    ExportError
        ``folder`` is not empty (without ``force``) or cannot be written; ``endpoint`` is not
        an http(s) URL.

    Examples
    --------
    >>> import ssegraph                                     # doctest: +SKIP
    >>> build_site(ssegraph.load(), "site/").pages > 100    # doctest: +SKIP
    True
    """
    from .._io import folder_in_place
    from .gallery import check_endpoint

    check_endpoint(endpoint)  # before any work: a javascript: "endpoint" is refused at once
    started = time.monotonic()
    timings: dict[str, float] = {}
    with folder_in_place(folder, force=force) as tmp:
        t = time.monotonic()
        ctx = SiteContext(kg, tmp, entity_index(kg, lang), lang=lang, endpoint=endpoint,
                          query_timeout=query_timeout)
        timings["index"] = time.monotonic() - t
        _copy_assets(ctx)
        for name, write in _sections():
            t = time.monotonic()
            write(ctx)
            timings[name] = time.monotonic() - t
    return SiteReport(Path(folder), len(ctx.pages), len(ctx.entities),
                      time.monotonic() - started, timings)


#: Shared files copied into ``assets/`` of the site (linked, not inlined: one copy for every page).
SHARED_ASSETS = ("site/site.css",)


def _copy_assets(ctx: SiteContext) -> None:
    from ..view import asset_text

    for name in SHARED_ASSETS:
        ctx.write_file("assets/" + name.rsplit("/", 1)[-1], asset_text(name))
