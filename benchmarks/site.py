"""How long ``ssegraph site`` takes: on the bundled data, and on synthetic graphs up to 1M triples.

Targets (issue 17): the site of the bundled data is built in under 10 s; at a million synthetic
triples the build completes, and its cost grows linearly with the graph (shown as seconds per
100k triples across the sizes, which stay about the same when it does).

Each figure is a whole process that builds the site as ``ssegraph [--data DIR] site -o OUT
--force`` does (``ssegraph.load`` then ``build_site``, so that the sections' own times come back
unrounded), timed from outside (interpreter start to exit), with the store cache already built (one unmeasured
run first, as a user's second command finds it). Its baseline, measured in the same run,
interleaved, is the least any tool must do to read the same graph: a fresh process that
bulk-loads the same Turtle files (data and ontology) into an in-memory pyoxigraph store. The
report gives medians (min–max) of ``--repeats`` runs, the ratio to the baseline, the sections'
own times as the build reports them (median), and the peak memory of the largest process.

Usage, from the repository root::

    .venv/bin/python benchmarks/site.py                          # bundled, 100k, 250k, 500k, 1M; 3 repeats
    .venv/bin/python benchmarks/site.py --sizes bundled,10k --repeats 1 -o /tmp/site.md   # quick
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_BUNDLED = 10.0
DEFAULT_SIZES = "bundled,100k,250k,500k,1M"

BASELINE = r"""
import sys, time
from pathlib import Path
import pyoxigraph as ox
files = [Path(p) for p in sys.argv[1:]]
store = ox.Store()
for f in files:
    store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, base_iri=f.as_uri())
print(len(store))
"""
#: The site build of ``ssegraph site`` (its Python twin: ``load`` as the command loads, then
#: ``build_site``), printing the report's section timings unrounded.
SITE = r"""
import json, sys
import ssegraph
from ssegraph.site import build_site
data, cache, out = sys.argv[1], sys.argv[2], sys.argv[3]
kg = ssegraph.load([data] if data else None, cache_dir=cache)
report = build_site(kg, out, force=True)
print(json.dumps({"pages": report.pages, "entities": report.entities, "timings": report.timings}))
"""


def turtle_files(data: Path | None) -> list[Path]:
    """The Turtle files ``ssegraph`` reads for ``data`` (None: the bundled data), ontology included."""
    from ssegraph.store import bundled_paths, expand_inputs, ontology_paths

    given = [data] if data is not None else bundled_paths()
    return [f for f in expand_inputs([*given, *ontology_paths()]) if f.suffix == ".ttl"]


def timed(cmd: list[str]) -> tuple[float, str, str]:
    """Wall-clock seconds of a whole process, its stdout and its stderr."""
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, done.stdout, done.stderr


def site_command(cache: Path, data: Path | None, out: Path) -> list[str]:
    return [sys.executable, "-c", SITE, str(data) if data is not None else "", str(cache), str(out)]


def measure(name: str, data: Path | None, work: Path, repeats: int) -> dict:
    cache, out = work / "cache", work / f"site-{name}"
    files = [str(f) for f in turtle_files(data)]
    t0 = time.perf_counter()
    timed(site_command(cache, data, out))  # builds the store cache; not measured
    first = time.perf_counter() - t0
    load, site, sections, triples, pages, entity_pages = [], [], [], 0, 0, 0
    for _ in range(repeats):
        seconds, stdout, _ = timed([sys.executable, "-c", BASELINE, *files])
        load.append(seconds)
        triples = int(stdout.strip().splitlines()[-1])
        seconds, stdout, _ = timed(site_command(cache, data, out))
        site.append(seconds)
        built = json.loads(stdout.strip().splitlines()[-1])
        pages, entity_pages = built["pages"], built["entities"]
        sections.append(built["timings"])
    size_bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    keys = list(sections[0])
    return {
        "name": name, "triples": triples, "pages": pages, "entity_pages": entity_pages, "bytes": size_bytes,
        "load": load, "site": site, "first_run": first,
        "sections": {k: statistics.median(s[k] for s in sections) for k in keys},
    }


def machine() -> str:
    """The machine in one line, from the description ``benchmarks/run.py`` gives in RESULTS.md."""
    import pyoxigraph
    from run import _machine  # benchmarks/ is this script's folder, so its sibling imports

    m = _machine()
    return (f"{platform.platform()}, {m['cpu'] or 'unknown CPU'}, {m['cores']} cores, {m['memory']} memory, "
            f"Python {m['python']}, pyoxigraph {pyoxigraph.__version__}")


def span(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def report(rows: list[dict], args: argparse.Namespace, peak_mb: int, note: str, when: str, where: str) -> str:
    keys = list(rows[0]["sections"])
    lines = [
        "# Site build benchmark",
        "",
        f"Generated by `benchmarks/site.py --sizes {args.sizes} --repeats {args.repeats}` at "
        f"{when} on {where}.",
        "",
        "Each figure is a whole process, timed from outside, that builds the site as `ssegraph [--data DIR] site "
        "-o OUT --force` does (`ssegraph.load`, then `build_site`), with the store cache already built, "
        "against its baseline, a fresh process that bulk-loads the same Turtle files (data and ontology) into an "
        "in-memory pyoxigraph store, run alternately in the same run. "
        "Median (min–max) of the runs. \"bundled\" is the curated data of the repository; the other graphs are "
        "`ssegraph synth` data of that size plus the ontology.",
        "",
        "| graph | triples | pages written (entities in the index) | baseline: load (s) | `ssegraph site` (s) | "
        "ratio | site s per 100k triples | first run, store built (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        med_site, med_load = statistics.median(r["site"]), statistics.median(r["load"])
        lines.append(
            f"| {r['name']} | {r['triples']:,} | {r['pages']:,} ({r['entity_pages']:,}) | {span(r['load'])} | "
            f"{span(r['site'])} | {med_site / med_load:.1f}x | {med_site / r['triples'] * 1e5:.2f} | "
            f"{r['first_run']:.1f} |")
    lines += [
        "",
        "Time per section, as the build reports it (median, seconds; the rest of a run is the interpreter, "
        "the imports and opening the store):",
        "",
        "| graph | " + " | ".join(keys) + " | sum |",
        "|---|" + "---:|" * (len(keys) + 1),
    ]
    for r in rows:
        secs = r["sections"]
        cells = " | ".join(f"{secs[k]:.2f}" for k in keys)
        lines.append(f"| {r['name']} | {cells} | {sum(secs.values()):.2f} |")
    lines += [
        "",
        "Linearity: seconds per 100k triples, whole build and per section, on the synthetic graphs (a linear "
        "cost keeps each column about the same from row to row):",
        "",
        "| graph | site | " + " | ".join(keys) + " |",
        "|---|---:|" + "---:|" * len(keys),
    ]
    for r in rows:
        if r["name"] == "bundled":
            continue
        per = 1e5 / r["triples"]
        lines.append(f"| {r['name']} | {statistics.median(r['site']) * per:.2f} | "
                     + " | ".join(f"{r['sections'][k] * per:.2f}" for k in keys) + " |")
    synth = [r for r in rows if r["name"] != "bundled"]
    if len(synth) >= 2:
        xs = [r["triples"] / 1e5 for r in synth]
        ys = [statistics.median(r["site"]) for r in synth]
        fit = statistics.linear_regression(xs, ys)
        r2 = statistics.correlation(xs, ys) ** 2
        lines += ["", f"Least-squares line through the synthetic sizes: site ≈ {fit.intercept:.2f} s + "
                      f"{fit.slope:.2f} s per 100k triples (R² = {r2:.3f}); the fixed part is the interpreter, the "
                      "imports, the page templates and the gallery's worker start."]
    bundled = next((r for r in rows if r["name"] == "bundled"), None)
    lines += [""]
    if bundled is not None:
        med = statistics.median(bundled["site"])
        verdict = "met" if med < TARGET_BUNDLED else "missed"
        lines.append(f"Target: the bundled data's site in under {TARGET_BUNDLED:g} s: **{verdict}** ({med:.2f} s).")
    largest = max(rows, key=lambda r: r["triples"])
    lines += [
        f"The largest graph ({largest['triples']:,} triples) was built: {largest['pages']:,} pages, "
        f"{largest['bytes'] / 1e6:,.0f} MB.",
        f"Peak memory of the largest process (a site build or its query worker): {peak_mb:,} MB.",
        "",
    ]
    if note:
        lines += [note, ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="bundled and/or synthetic sizes (10k, 100k, 1M)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("-o", "--output", default=str(ROOT / "benchmarks" / "SITE.md"))
    parser.add_argument("--note", default="", help="A paragraph added at the end of the report")
    parser.add_argument("--json", help="Also write every measurement as JSON")
    parser.add_argument("--render", metavar="JSON", help="Measure nothing: write the report of a --json file "
                        "again (with another --note, say)")
    args = parser.parse_args()
    if args.render:
        saved = json.loads(Path(args.render).read_text(encoding="utf-8"))
        args.sizes, args.repeats = saved["sizes"], saved["repeats"]
        text = report(saved["rows"], args, saved["peak_mb"], args.note, saved["when"], saved["machine"])
        Path(args.output).write_text(text, encoding="utf-8")
        print(text)
        return

    from ssegraph.synth import parse_count, write_synth

    rows = []
    with tempfile.TemporaryDirectory(prefix="ssegraph-site-bench-") as tmp:
        work = Path(tmp)
        for name in args.sizes.split(","):
            name = name.strip()
            data = None
            if name != "bundled":
                data = work / f"synth-{name}"
                write_synth(data, parse_count(name), seed=0)
            rows.append(measure(name, data, work, args.repeats))
            print(f"{name}: site {span(rows[-1]['site'])} s, load {span(rows[-1]['load'])} s", file=sys.stderr)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = report(rows, args, peak_mb, args.note, when, machine())
    Path(args.output).write_text(text, encoding="utf-8")
    if args.json:
        record = {"sizes": args.sizes, "repeats": args.repeats, "when": when, "machine": machine(),
                  "peak_mb": peak_mb, "rows": rows}
        Path(args.json).write_text(json.dumps(record, indent=2))
    print(text)


if __name__ == "__main__":
    main()
