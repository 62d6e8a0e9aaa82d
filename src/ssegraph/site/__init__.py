"""``ssegraph site``: a static, offline website of the graph.

One page per entity (organisation, person, milestone, event, place, jurisdiction) with its
facts in words and the sources behind them, faceted lists of milestones and organisations,
a search page, the gallery of named queries, the network view and the timeline. The pages open
from the file system with no server and make no request outside the folder.

In Python::

    import ssegraph
    from ssegraph.site import build_site

    build_site(ssegraph.load(), "site/")
"""

from __future__ import annotations

from .build import SiteReport, build_site
from .context import EntityRef, SiteContext, page_path

__all__ = ["EntityRef", "SiteContext", "SiteReport", "build_site", "page_path"]
