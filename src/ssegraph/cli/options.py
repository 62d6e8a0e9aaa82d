"""Options shared by several commands, as decorators (the sqlite-utils ``output_options`` way)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..model import KINDS

#: Entity kinds a selection may keep (``--types``): the model's plural names.
ENTITY_TYPES = tuple(k.plural.lower() for k in KINDS)


def selection_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--types``, ``--focus``, ``--depth``, ``--construct`` and ``--lang``.

    The command receives them as keyword arguments ``types``, ``focus``, ``depth``,
    ``construct`` and ``lang``; :func:`selection_kwargs` turns them into the keyword arguments of
    :meth:`ssegraph.KnowledgeGraph.to_networkx` (``types`` a tuple or None, ``construct`` the
    query text or None).
    """
    decorators = [
        click.option("--types", "-t", "types", metavar="TYPE[,TYPE…]",
                     help=f"Keep only these entity kinds: {', '.join(ENTITY_TYPES)} (comma-separated)."),
        click.option("--focus", metavar="NAME|IRI",
                     help="Keep the ego network of this entity (IRI, prefixed name, label or acronym)."),
        click.option("--depth", type=click.IntRange(0, 10), default=1, show_default=True,
                     help="With --focus: how many steps out from the focus entity."),
        click.option("--construct", type=click.Path(exists=True, dir_okay=False), metavar="FILE.rq",
                     help="A SPARQL CONSTRUCT query whose result is the subgraph to show."),
        click.option("--lang", default="en", show_default=True,
                     help="Preferred label language (falls back to en, then any)."),
    ]
    for deco in reversed(decorators):
        fn = deco(fn)
    return fn


def selection_kwargs(types: str | None, focus: str | None, depth: int, construct: str | None,
                     lang: str) -> dict[str, Any]:
    """The ``to_networkx`` keyword arguments for the parsed selection options."""
    from pathlib import Path

    kinds = None
    if types:
        kinds = tuple(t.strip().lower() for t in types.split(",") if t.strip())
    text = Path(construct).read_text(encoding="utf-8") if construct else None
    return {"types": kinds, "focus": focus, "depth": depth, "construct": text, "lang": lang}
