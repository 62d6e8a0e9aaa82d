"""Site section: entities (to be written)."""

from __future__ import annotations

from .context import SiteContext


def write(ctx: SiteContext) -> None:
    """Write this section's pages."""
