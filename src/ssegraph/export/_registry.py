"""The one list of export formats: each format module registers itself here.

A format says its name, file suffixes, one line of description, its flavours (variants of one
format, such as JSON's node-link and Cytoscape), whether it writes one file or several, and how
it writes (``write(G, path, flavour, **options)`` → the paths written; ``options`` names the
keywords it takes) and, for single-file formats, how
it streams (``generate(G, flavour)`` → text pieces, for ``-o -``). ``ssegraph export`` lists its
choices, suffixes and flavours from :data:`FORMATS`; adding a format is one module that calls
:func:`register`, imported in ``ssegraph/export/__init__.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ExportError

__all__ = ["FORMATS", "ExportFormat", "export_format", "register"]


@dataclass(frozen=True)
class ExportFormat:
    """One export format (see the module docstring)."""

    name: str
    suffixes: tuple[str, ...]
    description: str
    write: Callable[[Any, str | os.PathLike[str], str | None], list[Path]]
    generate: Callable[[Any, str | None], Iterator[str]] | None = None
    flavours: tuple[str, ...] = ()
    paths: Callable[[str | os.PathLike[str]], list[Path]] = field(default=lambda p: [Path(p)])
    #: Place in listings (``ssegraph export --help``): lower first.
    order: int = 100
    #: Keyword options its ``write`` takes beyond the flavour (csv: ``formulas``).
    options: tuple[str, ...] = ()

    @property
    def multi_file(self) -> bool:
        """Whether it writes several files (and so cannot stream to stdout)."""
        return self.generate is None

    @property
    def default_flavour(self) -> str | None:
        return self.flavours[0] if self.flavours else None

    def check_flavour(self, flavour: str | None) -> str | None:
        """The flavour to use; raises ExportError for one this format does not have."""
        if flavour is None:
            return self.default_flavour
        if not self.flavours:
            raise ExportError(f"--flavour applies to {_with_flavours()} only, not {self.name}")
        if flavour not in self.flavours:
            raise ExportError(f"unknown {self.name} flavour {flavour!r}; use {' or '.join(self.flavours)}")
        return flavour

    def check_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """The options this format takes; ExportError names one it does not."""
        for name in options:
            if name not in self.options:
                raise ExportError(f"{name} applies to {_with_option(name)} only, not {self.name}")
        return options


#: Every export format by name, in the order they registered.
FORMATS: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> ExportFormat:
    """Add ``fmt`` to :data:`FORMATS` (a format module calls this once, at import)."""
    FORMATS[fmt.name] = fmt
    for name in sorted(FORMATS, key=lambda n: (FORMATS[n].order, n)):
        FORMATS[name] = FORMATS.pop(name)
    return fmt


def export_format(name: str) -> ExportFormat:
    """The format called ``name`` (case-insensitive); ExportError lists the valid ones."""
    found = FORMATS.get(str(name).lower())
    if found is None:
        raise ExportError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}")
    return found


def _with_option(name: str) -> str:
    return " and ".join(f.name for f in FORMATS.values() if name in f.options) or "no format"


def _with_flavours() -> str:
    return " and ".join(f.name for f in FORMATS.values() if f.flavours) or "no format"
