"""The benchmark script runs end to end, and the fast path it measures stays fast by construction.

No timing is asserted here (shared CI machines make timings flaky); the figures live in
benchmarks/RESULTS.md. What is checked: ``benchmarks/run.py --quick`` produces every section and
row of the report (``stats``, ``describe``, ``queries`` and ``validate`` as whole processes
included), a one-shot ``query`` process imports nothing heavy, and an unchanged set of inputs is
never hashed again.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ssegraph import store
from ssegraph.catalog import list_queries

REPO = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


@pytest.mark.slow
def test_quick_benchmark_writes_every_row(tmp_path):
    out, js = tmp_path / "RESULTS.md", tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "-o", str(out), "--json", str(js),
         "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for heading in ("## Targets (issue 7)", "## 1. Building the store from Turtle",
                    "## 2. A whole `ssegraph query --name …` process", "## 3. Other commands, as whole processes",
                    "## 4. Named queries in-process", "## 5. Projection, GraphML export and the HTML view"):
        assert heading in text
    for row in ("| Store build ÷ raw pyoxigraph bulk load |", "| Store build speed-up over rdflib parse |",
                "| Whole `ssegraph query` process ÷ minimal pyoxigraph script",
                "| Named query in-process ÷ raw pyoxigraph", "| Named query speed-up over rdflib",
                "| Store build: time per triple", "| Projection + GraphML export: time per triple",
                "| Other commands (stats, describe): time per triple at 3k ÷ at 1k (worst) | 1k→3k |",
                "| Peak memory of the build ÷ raw pyoxigraph's |", "| Heavy imports in a `query` process"):
        assert row in text, row
    assert "cores" in text and "pyoxigraph 0." in text and "rdflib " in text
    for q in list_queries():
        assert f"| {q.name} |" in text, q.name  # every named query is measured
    assert "| `python -c pass` |" in text
    # section 3: every other read command measured as a whole process at both sizes, with a time in each cell
    section = text.split("## 3. Other commands, as whole processes")[1].split("\n## 4.")[0]
    measured = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            measured[cells[0].strip("`").split()[0]] = cells
    assert sorted(measured) == ["describe", "queries", "stats", "validate"], section
    for command, cells in measured.items():
        assert all(re.fullmatch(r"[0-9.]+ m?s", c) for c in cells[1:3]), (command, cells)  # 1k and 3k both ran
        codes = set(cells[-1].split(", "))  # validate exits 1 on violations: an answer, not a failure
        assert codes == {"0"} or (command == "validate" and codes <= {"0", "1"}), (command, cells)
    assert measured["describe"][0] == "`describe id:synth-org-0`"  # the largest node: the worst case
    assert "Time per triple at 3k ÷ at 1k" in section and "validate_ratio.py" in section
    # ssegraph's store is pyoxigraph's bulk load + optimize: the build table compares against that, and the
    # raw baselines query the default graph as ssegraph does, without asking for the union of all graphs
    build_header = next(line for line in text.splitlines() if line.startswith("| Triples | ssegraph | pyoxigraph |"))
    assert "| ssegraph ÷ pyoxigraph + optimize |" in build_header and "same store" not in build_header
    assert "(same, against pyoxigraph building the same store: bulk load + optimize)" in text
    # section 4 measures what sorting and the disk cost, next to each query: a sorted query has a time there
    inproc = text.split("## 4. Named queries in-process", 1)[1].split("## 5.", 1)[0]
    assert "| pyoxigraph, no ORDER BY | pyoxigraph, in memory |" in inproc
    sorted_row = next(line for line in inproc.splitlines() if line.startswith("| no-primary-source |"))
    assert sorted_row.split(" | ")[6] != "–" and sorted_row.split(" | ")[7] != "–"
    assert "result = store.query(query)\n" in text and "use_default_graph_as_union" not in text
    data = json.loads(js.read_text())
    assert [s["label"] for s in data["sizes"]] == ["1k", "3k"]
    assert all(s["build"]["ssegraph"]["median"] > 0 for s in data["sizes"])
    assert all(s["commands"][c]["median"] > 0 and s["commands_rc"][c] for s in data["sizes"]
               for c in ("stats", "describe", "queries", "validate"))
    assert not list(tmp_path.glob("lib")) and sorted(p.name for p in tmp_path.iterdir()) == [
        "RESULTS.md", "results.json", "work"]  # nothing written beside the report


def test_query_process_imports_nothing_heavy(tmp_path):
    cmd = [sys.executable, "-X", "importtime", "-m", "ssegraph", "--data", str(DATA / "tiny.ttl"),
           "--cache-dir", str(tmp_path), "-q", "query", "ASK { ?s ?p ?o }", "--format", "csv"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, capture_output=True, check=True, env=env)  # builds the store
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    assert proc.stdout.strip().splitlines()[-1] == "true"
    modules = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "pyoxigraph" in modules
    heavy = {m for m in modules if m.split(".")[0] in {"rdflib", "networkx", "pyvis", "pyshacl", "pandas"}}
    assert not heavy
    # looking up the installed distribution costs more than the rest of the start-up
    assert "importlib.metadata" not in modules
    # nothing to hash on unchanged inputs, nothing to build
    assert "hashlib" not in modules and "tempfile" not in modules


def test_unchanged_inputs_are_not_hashed_again(tmp_path, monkeypatch):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text("<urn:a> <urn:p> 1 .\n")
    b.write_text("<urn:b> <urn:p> 2 .\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    key = store.store_key([a, b], cache)

    hashed: list[Path] = []
    real = store.sha256_file
    monkeypatch.setattr(store, "sha256_file", lambda p: hashed.append(p) or real(p))
    assert store.store_key([a, b], cache) == key
    assert hashed == []  # size and mtime unchanged: the remembered key, no hashing at all

    b.write_text("<urn:b> <urn:p> 3 .\n")
    os.utime(b, ns=(b.stat().st_atime_ns, b.stat().st_mtime_ns + 10**9))
    changed = store.store_key([a, b], cache)
    assert changed != key and hashed == [b]  # only the changed file is read again

    (cache / "hashes.json").unlink()  # from scratch, the same keys
    assert store.store_key([a, b], cache) == changed
    b.write_text("<urn:b> <urn:p> 2 .\n")
    assert store.store_key([a, b], cache) == key
    assert store.store_key([b, a], cache) != key  # the order of the files is part of the key


@pytest.mark.slow
def test_release_benchmark_runs_end_to_end(tmp_path):
    """benchmarks/release.py at a tiny size: both sides run and the report has its ratio row."""
    out, js = tmp_path / "RELEASE.md", tmp_path / "release.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "release.py"), "--triples", "2k", "--repeats", "1",
         "-o", str(out), "--json", str(js)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "| baseline: pyoxigraph bulk-load (a graph per file) + gzipped N-Quads dump |" in text
    assert re.search(r"\| `ssegraph release` .* \| \*\*\d+\.\d\dx\*\* \|", text)
    assert re.search(r"Target: within 2x of the baseline: \*\*(met|missed)\*\*", text)
    data = json.loads(js.read_text())
    assert data["triples"] > 2000 and len(data["times"]["release"]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["RELEASE.md", "release.json"]
