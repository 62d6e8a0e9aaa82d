"""The synthetic data generator: deterministic, of the requested size, conforming to the shapes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ssegraph.cli import cli
from ssegraph.errors import SsegraphError
from ssegraph.synth import FILES, SYNTH_HUB, SYNTH_MILESTONE, parse_count, write_synth

ID = "https://w3id.org/ssegraph/id/"
SRC = "https://w3id.org/ssegraph/source/"


def _read(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.ttl"))}


def _parse(folder):
    triples = []
    for p in sorted(folder.glob("*.ttl")):
        triples.extend(ox.parse(path=str(p), format=ox.RdfFormat.TURTLE))
    return triples


def test_same_seed_same_bytes(tmp_path):
    a = write_synth(tmp_path / "a", 5000, seed=7)
    b = write_synth(tmp_path / "b", 5000, seed=7)
    assert _read(tmp_path / "a") == _read(tmp_path / "b")
    assert a.triples == b.triples and a.counts == b.counts
    assert sorted(_read(tmp_path / "a")) == sorted(f"synth-{name}.ttl" for name in FILES)


def test_other_seed_other_data(tmp_path):
    write_synth(tmp_path / "a", 5000, seed=1)
    write_synth(tmp_path / "b", 5000, seed=2)
    assert _read(tmp_path / "a") != _read(tmp_path / "b")


@pytest.mark.parametrize("n", [1, 500, 10_000, 50_000])
def test_triple_count_is_met_and_exact(tmp_path, n):
    summary = write_synth(tmp_path, n)
    triples = _parse(tmp_path)
    assert summary.triples == len(triples)  # the count it reports is the count it wrote
    assert n <= summary.triples <= n * 1.01 + 100  # within one organisation's worth of statements
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    assert len(store) == len(triples)  # no triple is written twice


def test_iris_stay_in_the_synthetic_namespace(tmp_path):
    write_synth(tmp_path, 5000)
    subjects = {t.subject.value for t in _parse(tmp_path) if isinstance(t.subject, ox.NamedNode)}
    assert subjects
    assert all(s.startswith((ID + "synth-", SRC + "synth-")) for s in subjects)
    assert SYNTH_HUB in subjects and SYNTH_MILESTONE in subjects


def test_proportions_hold_across_sizes(tmp_path):
    small = write_synth(tmp_path / "s", 20_000)
    big = write_synth(tmp_path / "b", 200_000)
    for kind in ("organisations", "memberships", "people", "milestones", "events", "sources"):
        a = small.counts[kind] / small.triples
        b = big.counts[kind] / big.triples
        assert 0.6 < a / b < 1.6, (kind, a, b)
    # a registry: mostly organisations and memberships, and the hub grows with the data
    assert big.counts["memberships"] > big.counts["organisations"] > big.counts["milestones"] > 0


@pytest.mark.slow
def test_output_at_10k_conforms_to_the_shapes(tmp_path):
    import ssegraph

    summary = write_synth(tmp_path / "data", 10_000, seed=0)
    kg = ssegraph.load([tmp_path / "data"], cache_dir=tmp_path / "cache")
    report = kg.validate()
    assert report.conforms, report.to_text()[:4000]
    assert report.triples >= summary.triples
    # and it feeds the named queries the benchmarks run
    assert len(kg.named_query("untfsse-members", {"org": "id:synth-org-0"})) > 20
    assert len(kg.named_query("cited-by", {"milestone": "id:synth-doc-0"})) > 0
    assert len(kg.named_query("representatives")) > 0


def test_parse_count():
    assert parse_count("10k") == 10_000
    assert parse_count("1M") == 1_000_000
    assert parse_count("1.5m") == 1_500_000
    assert parse_count("2_500") == 2500
    assert parse_count(42) == 42
    with pytest.raises(SsegraphError):
        parse_count("lots")


def test_nonpositive_size_is_an_error(tmp_path):
    with pytest.raises(SsegraphError, match="at least 1"):
        write_synth(tmp_path, 0)


def test_synth_command(tmp_path):
    out = tmp_path / "synth"
    result = CliRunner().invoke(cli, ["synth", "--triples", "2k", "-o", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("wrote ") and result.stderr.count("\n") == 1
    assert _read(out) == _read(write_synth(tmp_path / "lib", 2000, seed=3).folder)


def test_synth_command_errors(tmp_path):
    result = CliRunner().invoke(cli, ["synth", "--triples", "lots", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a triple count" in result.stderr
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(cli, ["synth", "--triples", "1k", "-o", str(blocker / "sub")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
