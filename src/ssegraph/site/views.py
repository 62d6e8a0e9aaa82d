"""The network view and the timeline, written into the site as ``network.html`` and
``timeline.html`` (the same pages as ``ssegraph view`` and ``ssegraph timeline``).

Entity pages link to ``network.html#sel=CURIE``, which opens the view with that entity
selected. A graph too large for one readable view (more than the view's node limit) gets the
organisations alone, and failing that a page that says how to draw a part of it.
"""

from __future__ import annotations

from ..errors import ExportError
from .context import SiteContext

#: What the site's network page draws, tried in order until one fits the view's node limit.
NETWORK_SELECTIONS: tuple[dict[str, str], ...] = ({}, {"types": "organisation"})


def write(ctx: SiteContext) -> None:
    """Write ``network.html`` and ``timeline.html``."""
    from ..timeline import timeline
    from ..view import view

    ctx.network_selection = None
    for selection in NETWORK_SELECTIONS:
        try:
            view(ctx.kg, ctx.out / "network.html", lang=ctx.lang, **selection)
        except ExportError as exc:
            reason = str(exc)
            continue
        ctx.network_selection = selection
        ctx.pages.append("network.html")
        break
    else:
        ctx.write_page("network.html", "too-large.html", title="Network", reason=reason)
    try:
        timeline(ctx.kg, ctx.out / "timeline.html", lang=ctx.lang)
    except ExportError as exc:
        ctx.write_page("timeline.html", "too-large.html", title="Timeline", reason=str(exc))
    else:
        ctx.pages.append("timeline.html")
