"""The on-disk store: cached by content, built atomically, never half-built."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ssegraph
from ssegraph import LoadError, store

DATA = Path(__file__).parent / "data"


def test_second_load_opens_the_cache_without_parsing(tmp_path, monkeypatch):
    ssegraph.load([DATA / "tiny.ttl"], cache_dir=tmp_path)

    def boom(*args, **kwargs):
        raise AssertionError("a file was parsed although nothing changed")

    monkeypatch.setattr(store, "load_file", boom)
    kg = ssegraph.load([DATA / "tiny.ttl"], cache_dir=tmp_path)
    assert bool(kg.query("ASK { id:tiny-coop sse:acronym 'TC' }"))


def test_changed_content_rebuilds_but_touching_does_not(tmp_path):
    f = tmp_path / "one.ttl"
    shutil.copy(DATA / "tiny.ttl", f)
    cache = tmp_path / "cache"
    files = store.expand_inputs([f])
    first = store.ensure_store(files, cache)
    assert first.built
    f.touch()  # new mtime, same bytes: the hash proves it unchanged
    assert not store.ensure_store(files, cache).built
    f.write_text(f.read_text().replace('"TC"', '"TCX"'))
    again = store.ensure_store(files, cache)
    assert again.built and again.path != first.path


def test_syntax_error_names_file_line_and_column_and_keeps_the_good_store(tmp_path):
    f = tmp_path / "data.ttl"
    shutil.copy(DATA / "tiny.ttl", f)
    cache = tmp_path / "cache"
    good = store.ensure_store(store.expand_inputs([f]), cache)
    text = f.read_text()
    broken_line = text.count("\n") + 2
    f.write_text(text + '\nid:x skos:prefLabel "broken .\n')
    with pytest.raises(LoadError) as err:
        ssegraph.load([f], cache_dir=cache)
    assert err.value.line == broken_line and err.value.column is not None
    assert str(err.value).startswith(f"{f}:{broken_line}:")
    # the previous good store is untouched and no half-built store is left behind
    assert (good.path / ".complete").exists()
    leftovers = [p.name for p in (cache / "stores").iterdir() if p != good.path]
    assert leftovers == []


def test_concurrent_builds_give_one_complete_store(tmp_path):
    cache = tmp_path / "cache"
    code = (
        "import sys, ssegraph; kg = ssegraph.load([sys.argv[1]], cache_dir=sys.argv[2]);"
        "print(len(list(kg.query('SELECT * WHERE { ?s ?p ?o }'))))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(DATA / "tiny.ttl"), str(cache)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert len({o for o, _ in outs}) == 1
    complete = [p for p in (cache / "stores").iterdir() if (p / ".complete").exists()]
    assert len(complete) == 1


_PREFIXES = "@prefix id: <https://w3id.org/ssegraph/id/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"


def test_defining_files_names_every_file_that_states_something_about_a_node(tmp_path):
    (tmp_path / "a.ttl").write_text(_PREFIXES + 'id:coop-1 skos:prefLabel "One"@en .\n')
    (tmp_path / "b.ttl").write_text(_PREFIXES + 'id:x skos:related id:coop-1 .\n')  # as object only
    (tmp_path / "c.ttl").write_text(_PREFIXES + 'id:coop-1 skos:note "coop-1 again" .\n')
    (tmp_path / "d.ttl").write_text(_PREFIXES + 'id:a\\.b skos:note "an escaped local name" .\n')
    files = store.expand_inputs([tmp_path])
    found = store.defining_files(files, ["https://w3id.org/ssegraph/id/coop-1", "https://w3id.org/ssegraph/id/a.b",
                                         "https://w3id.org/ssegraph/id/absent"])
    assert found["https://w3id.org/ssegraph/id/coop-1"] == (tmp_path / "a.ttl", tmp_path / "c.ttl")
    assert found["https://w3id.org/ssegraph/id/a.b"] == (tmp_path / "d.ttl",)
    assert found["https://w3id.org/ssegraph/id/absent"] == ()


def test_defining_files_finds_a_node_spelled_with_an_unusual_prefix(tmp_path):
    """A namespace that ends inside the local name (ex: <…/id/coop-> , ex:7) still finds the file."""
    (tmp_path / "odd.ttl").write_text('@prefix ex: <https://w3id.org/ssegraph/id/coop-> .\n'
                                      'ex:7 <http://www.w3.org/2004/02/skos/core#prefLabel> "Seven"@en .\n')
    (tmp_path / "plain.ttl").write_text(_PREFIXES + 'id:other skos:prefLabel "Other"@en .\n')
    found = store.defining_files(store.expand_inputs([tmp_path]), ["https://w3id.org/ssegraph/id/coop-7"])
    assert found == {"https://w3id.org/ssegraph/id/coop-7": (tmp_path / "odd.ttl",)}


def test_describe_and_validate_name_the_files_behind_a_node(tmp_path):
    (tmp_path / "a.ttl").write_text(_PREFIXES + 'id:coop-1 a <http://www.w3.org/ns/org#Organization> ;'
                                    ' skos:prefLabel "One"@en .\n')
    (tmp_path / "b.ttl").write_text(_PREFIXES + 'id:coop-1 skos:prefLabel "Un"@fr .\n')
    kg = ssegraph.load([tmp_path], cache_dir=tmp_path / "cache")
    names = {Path(f).name for f in kg.describe("id:coop-1").files}
    assert names == {"a.ttl", "b.ttl"}
    unsourced = [f for f in kg.validate().findings if f.focus == "id:coop-1"]
    assert unsourced and all({Path(x).name for x in f.files} == {"a.ttl", "b.ttl"} for f in unsourced)


def test_dataset_inputs_keep_their_graphs_and_queries_see_all_of_them(tmp_path):
    (tmp_path / "plain.ttl").write_text(_PREFIXES + 'id:coop-1 skos:prefLabel "One"@en .\n')
    (tmp_path / "more.trig").write_text(_PREFIXES + '<urn:g> { id:coop-2 skos:prefLabel "Two"@en . }\n')
    kg = ssegraph.load([tmp_path], cache_dir=tmp_path / "cache", ontology=False)
    labels = {r["l"] for r in kg.query("SELECT ?l WHERE { ?s skos:prefLabel ?l }")}
    assert labels == {"One", "Two"}
    assert kg.stats()["triples"] == 2
    plain = ssegraph.load([tmp_path / "plain.ttl"], cache_dir=tmp_path / "cache", ontology=False)
    assert plain.stats()["triples"] == 1


def test_memory_store_answers_like_the_disk_store(tmp_path):
    disk = ssegraph.load([DATA / "tiny.ttl"], cache_dir=tmp_path)
    mem = ssegraph.load([DATA / "tiny.ttl"], memory=True)
    q = "SELECT ?l WHERE { id:tiny-coop skos:prefLabel ?l } ORDER BY ?l"
    assert list(disk.query(q)) == list(mem.query(q))


def test_missing_path_and_empty_folder_are_load_errors(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        ssegraph.load([tmp_path / "nope.ttl"], cache_dir=tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(LoadError, match="holds no RDF file"):
        ssegraph.load([tmp_path / "empty"], cache_dir=tmp_path)


def test_a_store_in_use_is_never_pruned(tmp_path, monkeypatch):
    """A build of other data in the same cache removes old stores, but not one a process has open
    (a notebook's graph, a server, the query worker that reopens it by path)."""
    import subprocess
    import sys

    import ssegraph
    from ssegraph import store as store_module

    monkeypatch.setattr(store_module, "KEEP_STORES", 2)
    cache = tmp_path / "cache"
    files = []
    for i in range(6):
        f = tmp_path / f"d{i}.ttl"
        f.write_text(f"<urn:x:s{i}> <urn:x:p> {i} .\n")
        files.append(f)
    mine = ssegraph.load([files[0]], cache_dir=cache).backend.path  # open in this process
    # another process opens a store and keeps it open while we build more
    code = ("import sys, time, ssegraph; kg = ssegraph.load([sys.argv[1]], cache_dir=sys.argv[2]); "
            "print(kg.backend.path, flush=True); time.sleep(60)")
    other = subprocess.Popen([sys.executable, "-c", code, str(files[1]), str(cache)], stdout=subprocess.PIPE,
                             text=True)
    try:
        theirs = Path(other.stdout.readline().strip())
        assert theirs.parent == mine.parent
        for f in files[2:4]:
            ssegraph.load([f], cache_dir=cache)
        assert mine.is_dir() and theirs.is_dir()  # both older than the two kept, both in use
        assert (mine / ".complete").exists() and (theirs / ".complete").exists()
        other.kill()
        other.wait()
        ssegraph.load([files[4]], cache_dir=cache)  # no longer in use: the next build prunes it
        assert not theirs.exists() and mine.is_dir()
    finally:
        other.kill()
        other.wait()
