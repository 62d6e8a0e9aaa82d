"""Shared fixtures: a CLI runner bound to a private cache, and the bundled graph loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from _browser import browser, open_page  # noqa: F401 -- the browser fixtures, for every test module
from ssegraph.cli import cli

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One store cache for the whole session, never the user's ~/.cache."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def kg(cache_dir):
    """The bundled knowledge graph, built once per session."""
    import ssegraph

    return ssegraph.load(cache_dir=cache_dir)


@pytest.fixture
def run(cache_dir):
    """Invoke ``ssegraph`` in-process with the session cache; returns click's Result."""

    def invoke(*args: str, input: str | None = None, cache: Path | None = None):
        runner = CliRunner()
        return runner.invoke(cli, ["--cache-dir", str(cache or cache_dir), *args], input=input,
                             catch_exceptions=False)

    return invoke
