"""The notebooks run from top to bottom, quickly, without writing anywhere they should not.

The claims the notebooks make are asserted in their own cells, so running them is the test.
Each runs in a kernel of this very interpreter (a kernelspec written to a private
``JUPYTER_PATH``, so a user's or the system's ``python3`` kernel can never be picked instead),
with the working directory and the store cache in temporary folders.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

REPO = Path(__file__).parent.parent
NOTEBOOKS = REPO / "notebooks"
NAMES = ["01-tour.ipynb", "02-policy-timeline.ipynb", "03-network-analysis.ipynb"]
KERNEL = "ssegraph-test-python"
#: The issue's budget for one notebook; the cell timeout is looser so a slow cell fails with a message.
BUDGET_S = 60


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory) -> Path:
    """A JUPYTER_PATH holding one kernelspec: this interpreter with ipykernel."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "ssegraph tests", "language": "python",
    }), encoding="utf-8")
    return root


def _repo_files() -> set[str]:
    """Files at the top of the repository and under notebooks/ (tracked or not, unless ignored).

    Where a stray write from a notebook would land (its own folder, or a path relative to the
    repository); the rest of the tree is left out so that concurrent work there cannot make the
    check flaky.
    """
    r = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "--cached"], cwd=REPO,
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        pytest.skip("not a git checkout")
    return {f for f in r.stdout.splitlines() if "/" not in f or f.startswith("notebooks/")}


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name, kernel_path, tmp_path, monkeypatch):
    path = NOTEBOOKS / name
    nb = nbformat.read(path, as_version=4)
    assert nb.cells, f"{name} is empty"
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    monkeypatch.setenv("SSEGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    before = _repo_files()
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name=KERNEL,
                                     resources={"metadata": {"path": str(workdir)}})
    started = time.monotonic()
    client.execute()  # raises CellExecutionError, with the failing cell and its traceback
    elapsed = time.monotonic() - started
    assert elapsed < BUDGET_S, f"{name} took {elapsed:.0f} s (budget {BUDGET_S} s)"
    assert list(workdir.iterdir()) == [], "a notebook wrote into its working directory"
    assert _repo_files() == before, "a notebook wrote into the repository"
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors


@pytest.mark.parametrize("name", NAMES)
def test_notebook_shape(name):
    """First cell states the question, last says what the data shows; stored without outputs."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    first, last = nb.cells[0], nb.cells[-1]
    assert first.cell_type == "markdown" and "**Question.**" in first.source
    assert last.cell_type == "markdown" and "What the data shows" in last.source
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "outputs must be stripped"
    assert sum("assert " in c.source for c in code) >= 5, "key cells assert what they show"
    text = "\n".join(c.source for c in code)
    for private in ("._", "ssegraph.store", "ssegraph.graph", "ssegraph.results", "backend"):
        assert private not in text, f"{name} uses {private!r}: notebooks use the public API only"


def test_notebooks_match_their_generator():
    r = subprocess.run([sys.executable, str(NOTEBOOKS / "make_notebooks.py"), "--check"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
