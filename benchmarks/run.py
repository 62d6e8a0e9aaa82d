"""Benchmarks of ssegraph against its baselines, measured side by side in one run.

    python benchmarks/run.py [--sizes 10k,100k,1M] [--repeats N] [--quick] [-o RESULTS.md]

For each size it writes synthetic SSE-shaped Turtle (``ssegraph.synth``) to a scratch folder
under the system temp directory (never the repository) and measures, with medians (min–max) over
``--repeats`` runs:

1. building the store from Turtle: ``ssegraph.store.ensure_store`` vs raw pyoxigraph
   ``bulk_load`` into a disk store (the limit) vs the same plus ``optimize()`` (exactly the store
   ssegraph builds) vs rdflib's ``Graph().parse`` (what users have today), each in a fresh process;
2. a whole ``ssegraph query --name …`` process on the built store (cold process, warm cache) vs a
   minimal Python script that opens the same store read-only with pyoxigraph, runs the same query
   text and serialises the results (the limit) vs rdflib parsing the Turtle and running it;
3. the other read commands as whole processes on the same store (``stats``, ``describe`` of the
   largest synthetic organisation, ``queries`` as the floor, and ``validate``; its ratio to the store build is
   ``benchmarks/validate_ratio.py``),
   each run stopped after ``--command-timeout`` seconds and reported as such;
4. every named query in-process: ``kg.named_query(...).to("csv")`` vs raw pyoxigraph on the same
   store and text vs rdflib on a parsed graph;
5. projection + GraphML export (``kg.to_networkx()`` + ``ssegraph.export.write_graphml`` vs
   networkx's own ``write_graphml`` on the same graph already in memory), and the HTML view of
   about 2,000 nodes (``kg.view``) vs pyvis's own ``from_nx`` + ``write_html``;
6. the peak memory (``ru_maxrss``) of every process.

It writes a Markdown report (default ``benchmarks/RESULTS.md``) with the ratios against the
targets of issue 7, the machine and the versions. ``--quick`` runs everything at tiny sizes with
one repeat in under a minute (for CI); its figures mean nothing.

Each measured process is this same file run with ``--worker KIND SPEC.json`` (it prints one JSON
line), except the two the user would type: the ``ssegraph`` command and the minimal scripts,
which are run as they are shown in the report.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

#: Parameters of the named queries on synthetic data: the well-known synthetic entities.
SYNTH_PARAMS = {
    "org": "id:synth-org-0",
    "organisation": "id:synth-org-0",
    "organization": "id:synth-org-0",
    "milestone": "id:synth-doc-0",
    "person": "id:synth-person-0",
    "event": "id:synth-event-0",
    "place": "id:synth-place-0",
}

#: The query the rdflib whole-process baseline runs (one: rdflib re-parses everything each time).
PROCESS_QUERY = "untfsse-members"

#: The minimal pyoxigraph script of measurement 2, run as ``python -c``.
MINIMAL_PYOXIGRAPH = """\
import sys
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as fh:
    query = fh.read()
result = store.query(query)
sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.CSV))
"""

#: The rdflib baseline of measurement 2: parse the Turtle, run the same query text.
MINIMAL_RDFLIB = """\
import sys
import rdflib
graph = rdflib.Graph()
for path in sys.argv[2:]:
    graph.parse(path, format=rdflib.util.guess_format(path))
with open(sys.argv[1], encoding="utf-8") as fh:
    query = fh.read()
sys.stdout.buffer.write(graph.query(query).serialize(format="csv"))
"""

TARGETS = {
    "build_vs_raw": 1.25,
    "build_vs_rdflib": 4.0,
    "process_vs_minimal": 1.3,
    "inproc_vs_raw": 1.2,
    "inproc_vs_rdflib": 10.0,
    "growth": 1.3,
    "build_memory": 1.5,
    # issue 13: the process guard (time limit, memory limit, Ctrl-C) must not eat into the 1.3× budget
    "guard": 1.05,
}

#: The same ``query`` process with and without the process guard of ``ssegraph.limits`` (issue 13):
#: ``main()`` installs it, calling the click group directly does not; both start the same way.
GUARDED = "import sys; from ssegraph.cli import main; sys.argv[0] = 'ssegraph'; main()"
UNGUARDED = "import sys; from ssegraph.cli import cli; cli(prog_name='ssegraph')"

#: The read commands measured as whole processes besides ``query`` (measurement 3), as typed after
#: ``ssegraph --data DIR --cache-dir C -q``. While only ``query`` was measured, ``stats`` never finished
#: at a million triples and ``describe`` took seconds on a large node, unseen: every command a user runs
#: on the data is timed. ``describe`` gets the organisation the named queries use as ``org``, the
#: largest node of the synthetic data (the worst case); ``queries`` lists the catalogue and touches no
#: data, the floor under the others.
OTHER_COMMANDS = {
    "stats": ["stats"],
    "describe": ["describe", SYNTH_PARAMS["org"]],
    "queries": ["queries"],
    "validate": ["validate"],
}

#: Exit codes that are a command's answer, not a failure: ``validate`` exits 1 when it finds violations.
COMMAND_OK_CODES = {"validate": (0, 1)}

#: The commands whose growth with the data the targets table checks (``queries`` reads no data, and
#: ``validate`` does not run at the large sizes).
GROWTH_COMMANDS = ("stats", "describe")


#: The environment of every measured process. Python may cache bytecode there, as it does for an
#: installed package (``PYTHONDONTWRITEBYTECODE``, set in some sandboxes, would make each process
#: recompile ssegraph's modules and charge that to start-up).
BENCH_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class BenchError(RuntimeError):
    """A measured process failed; the message carries the tail of its stderr, ``rc`` its exit code."""

    def __init__(self, message: str, rc: int | None = None) -> None:
        super().__init__(message)
        self.rc = rc


class BenchTimeout(BenchError):
    """A measured process hit its time limit and was killed."""


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Run:
    """One finished process: its wall time, peak memory and what it printed."""

    seconds: float
    maxrss_mb: float
    cpu: float = 0.0
    stdout: str = ""
    stderr: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    rc: int = 0


#: The launcher: a small process that spawns every measured process and reports its rusage.
#: Linux charges a child's peak RSS from the moment it is forked, so a child of this script,
#: which holds synthetic data and opened stores, would report this script's memory as its own;
#: a child of a fresh ten-megabyte launcher reports only what it used itself.
LAUNCHER = """\
import json, os, subprocess, sys, tempfile, threading, time
for line in sys.stdin:
    job = json.loads(line)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(job["cmd"], stdout=out if job["capture"] else subprocess.DEVNULL, stderr=err,
                                cwd=job["cwd"], env=job["env"])
        stopped = threading.Event()
        def stop():
            stopped.set()
            proc.kill()
        timer = threading.Timer(job["timeout"], stop)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        err.seek(0)
        out.seek(0)
        reply = {"seconds": seconds, "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                 "rc": os.waitstatus_to_exitcode(status), "timed_out": stopped.is_set() and status != 0,
                 "stderr": err.read().decode("utf-8", "replace"),
                 "stdout": out.read().decode("utf-8", "replace") if job["capture"] else ""}
    sys.stdout.write(json.dumps(reply) + "\\n")
    sys.stdout.flush()
"""

_launcher: subprocess.Popen[str] | None = None


def start_launcher() -> None:
    """Start the launcher while this process is still small (call it first thing)."""
    global _launcher
    if _launcher is None:
        _launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=BENCH_ENV)


def stop_launcher() -> None:
    global _launcher
    if _launcher is not None:
        _launcher.stdin.close()
        _launcher.wait(timeout=30)
        _launcher = None


def run_process(cmd: list[str], *, timeout: float = 3600, capture: bool = False, cwd: Path | None = None,
                ok_codes: tuple[int, ...] = (0,)) -> Run:
    """Run ``cmd`` through the launcher; time it from spawn to exit, with its own peak RSS.

    ``wait4`` reports the rusage of exactly that child, so peak memory is per process and not
    the maximum over every child ever waited for (which ``RUSAGE_CHILDREN`` would give). A process
    still running after ``timeout`` seconds is killed and raises ``BenchTimeout``; an exit code
    outside ``ok_codes`` raises ``BenchError``.
    """
    start_launcher()
    assert _launcher is not None and _launcher.stdin is not None and _launcher.stdout is not None
    job = {"cmd": [str(c) for c in cmd], "capture": capture, "cwd": str(cwd) if cwd else None,
           "timeout": timeout, "env": BENCH_ENV}
    _launcher.stdin.write(json.dumps(job) + "\n")
    _launcher.stdin.flush()
    line = _launcher.stdout.readline()
    if not line:
        raise BenchError("the launcher process died")
    reply = json.loads(line)
    shown = " ".join(str(c) for c in cmd[:6]) + (" …" if len(cmd) > 6 else "")
    if reply.get("timed_out"):
        raise BenchTimeout(f"{shown} did not finish within {timeout:.0f} s", reply["rc"])
    if reply["rc"] not in ok_codes:
        raise BenchError(f"{shown} exited with {reply['rc']}:\n{reply['stderr'][-3000:]}", reply["rc"])
    return Run(reply["seconds"], reply["maxrss_kb"] / 1024, reply["cpu"], reply["stdout"], reply["stderr"],
               rc=reply["rc"])


def run_worker(kind: str, spec: dict[str, Any], work: Path, timeout: float = 7200, cwd: Path | None = None) -> Run:
    """Run one measurement in a fresh interpreter (this file with ``--worker``)."""
    fd, name = tempfile.mkstemp(prefix=f"spec-{kind}-", suffix=".json", dir=work)
    with os.fdopen(fd, "w") as fh:
        json.dump(spec, fh)
    try:
        run = run_process([sys.executable, str(Path(__file__).resolve()), "--worker", kind, name],
                          timeout=timeout, capture=True, cwd=cwd)
    finally:
        os.unlink(name)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise BenchError(f"worker {kind} printed no result:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    run.result = json.loads(lines[-1])
    return run


@dataclass
class Stat:
    """Repeated measurements of one quantity (seconds or MB)."""

    values: list[float] = field(default_factory=list)
    note: str = ""

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def ok(self) -> bool:
        return bool(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    def cell(self, unit: str = "s") -> str:
        if not self.values:
            return self.note or "–"
        fmt = fmt_mb if unit == "MB" else fmt_seconds
        text = fmt(self.median)
        if len(self.values) > 1:
            text += f" ({fmt(min(self.values), bare=True)}–{fmt(max(self.values), bare=True)})"
        return text

    def to_json(self) -> dict[str, Any]:
        return {"values": self.values, "median": self.median if self.values else None, "note": self.note}


def fmt_seconds(s: float, bare: bool = False) -> str:
    """Seconds in a readable unit (ms under one second)."""
    if s != s:
        return "–"
    if s < 1:
        text, unit = (f"{s * 1000:.1f}" if s < 0.1 else f"{s * 1000:.0f}"), " ms"
    else:
        text, unit = f"{s:.2f}", " s"
    return text if bare else text + unit


def fmt_mb(mb: float, bare: bool = False) -> str:
    return f"{mb:.0f}" + ("" if bare else " MB")


def ratio(a: Stat, b: Stat) -> float:
    """median(a) / median(b), NaN when either is missing."""
    if not a.ok or not b.ok or b.median == 0:
        return float("nan")
    return a.median / b.median


def fmt_ratio(x: float) -> str:
    return "–" if x != x else f"{x:.2f}×"


def fmt_count(n: int) -> str:
    """A triple count as the sizes are written on the command line (100k, 1M)."""
    if n and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n and n % 1000 == 0:
        return f"{n // 1000}k"
    return f"{n:,}"


def _command_cell(stat: Stat) -> str:
    """A command's median (min–max), or why there is none.

    A run that was stopped or failed outweighs the runs that finished before it: the cell says so
    rather than show a median of the lucky runs.
    """
    return stat.note if stat.note else stat.cell()


# -- workers (each runs in its own fresh process) ------------------------------------------------


def _count_rows(text: str, fmt: str) -> int:
    if fmt == "csv":
        import csv
        import io

        return max(0, sum(1 for _ in csv.reader(io.StringIO(text))) - 1)
    return sum(1 for line in text.splitlines() if line.strip())


#: The query's final ORDER BY clause (outside every group), up to a LIMIT/OFFSET or the end.
_FINAL_ORDER = re.compile(r"\bORDER\s+BY\b[^{}]*?(?=\s*(?:\bLIMIT\b[^{}]*|\bOFFSET\b[^{}]*)?\s*\Z)",
                          re.IGNORECASE)


def without_order(text: str) -> str:
    """``text`` without its final ORDER BY: what sorting costs, measured next to the query itself."""
    return _FINAL_ORDER.sub("", text, count=1)


def _ox_terms(subs: dict[str, str]) -> dict[Any, Any]:
    """Rebuild pyoxigraph substitutions from their N-Triples forms."""
    import pyoxigraph as ox

    out = {}
    for name, nt in subs.items():
        triple = next(iter(ox.parse(f"<urn:s> <urn:p> {nt} .", format=ox.RdfFormat.N_TRIPLES)))
        out[ox.Variable(name)] = triple.object
    return out


def worker_build_ssegraph(spec: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph  # noqa: F401  (imported before the clock starts, as the baselines do)

    from ssegraph.store import ensure_store

    files = [Path(f) for f in spec["files"]]
    start, cpu = time.perf_counter(), time.process_time()
    info = ensure_store(files, Path(spec["cache_dir"]))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "built": info.built, "disk_mb": _du(info.path)}


def worker_build_pyoxigraph(spec: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph as ox

    start, cpu = time.perf_counter(), time.process_time()
    store = ox.Store(spec["path"])
    for f in spec["files"]:
        fmt = ox.RdfFormat.from_extension(Path(f).suffix.lstrip("."))
        store.bulk_load(path=f, format=fmt)
    if spec.get("optimize"):
        store.flush()
        store.optimize()
    del store
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "disk_mb": _du(Path(spec["path"]))}


def worker_build_rdflib(spec: dict[str, Any]) -> dict[str, Any]:
    import rdflib

    start, cpu = time.perf_counter(), time.process_time()
    graph = rdflib.Graph()
    for f in spec["files"]:
        graph.parse(f, format=rdflib.util.guess_format(f))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "triples": len(graph)}


def worker_inproc(spec: dict[str, Any]) -> dict[str, Any]:
    """Every named query in one process, the engines taking turns run by run.

    ssegraph (``kg.named_query(...).to(...)``), raw pyoxigraph on the same store with the same
    text, and the same store built without ``optimize()``. Alternating run by run, in one process,
    puts every engine under the same load and the same page cache: on a shared machine, measuring
    one engine after the other let a burst of outside load land on one of them only.
    """
    import pyoxigraph as ox

    import ssegraph

    kg = ssegraph.load(spec["data"], cache_dir=spec["cache_dir"])
    store = ox.Store.read_only(spec["store"])
    noopt = ox.Store.read_only(spec["noopt"]) if spec.get("noopt") else None
    memory = ox.Store()  # what ssegraph.load(memory=True) queries: the same files, parsed into memory
    for f in spec.get("files", []):
        memory.bulk_load(path=f, format=ox.RdfFormat.from_extension(Path(f).suffix.lstrip(".")))

    def raw(target: Any, text: str, q: dict[str, Any]) -> str:
        """The natural minimal call: the synthetic data is Turtle, all of it in the default graph."""
        subs = _ox_terms(q["substitutions"]) if q["substitutions"] else None
        result = target.query(text, substitutions=subs)
        if q["format"] == "csv":
            return result.serialize(format=ox.QueryResultsFormat.CSV).decode()
        return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES).decode()

    out: dict[str, Any] = {}
    for q in spec["queries"]:
        engines: dict[str, Any] = {
            "ssegraph": lambda q=q: kg.named_query(q["name"], q["params"]).to(q["format"]),
            "pyoxigraph": lambda q=q: raw(store, q["text"], q),
        }
        if noopt is not None:
            engines["pyoxigraph-unoptimized"] = lambda q=q: raw(noopt, q["text"], q)
        unordered = without_order(q["text"])
        if unordered != q["text"]:
            engines["pyoxigraph-unordered"] = lambda q=q, t=unordered: raw(store, t, q)
        if spec.get("files"):
            engines["pyoxigraph-memory"] = lambda q=q: raw(memory, q["text"], q)
        res = {e: {"times": [], "cpu_times": []} for e in engines}
        for i in range(spec["repeats"] + 1):  # the first round warms the caches and is not counted
            for e, fn in engines.items():
                start, cpu = time.perf_counter(), time.process_time()
                text = fn()
                if i:
                    res[e]["times"].append(time.perf_counter() - start)
                    res[e]["cpu_times"].append(time.process_time() - cpu)
                else:
                    res[e]["rows"] = _count_rows(text, q["format"])
        out[q["name"]] = res
    return out


def worker_inproc_rdflib(spec: dict[str, Any]) -> dict[str, Any]:
    import signal

    import rdflib
    from rdflib.util import from_n3

    def alarm(signum: int, frame: Any) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    graph = rdflib.Graph()
    start = time.perf_counter()
    for f in spec["files"]:
        graph.parse(f, format=rdflib.util.guess_format(f))
    out: dict[str, Any] = {"_parse": time.perf_counter() - start}
    for q in spec["queries"]:
        bindings = {k: from_n3(v) for k, v in q["substitutions"].items()}
        times: list[float] = []
        cpus: list[float] = []
        rows = None
        note = ""
        for _ in range(spec["repeats"]):
            signal.setitimer(signal.ITIMER_REAL, spec["timeout"])
            try:
                start, cpu = time.perf_counter(), time.process_time()
                result = graph.query(q["text"], initBindings=bindings or None)
                data = result.serialize(format="csv" if q["format"] == "csv" else "nt")
                times.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
                rows = _count_rows(data.decode() if isinstance(data, bytes) else data, q["format"])
            except TimeoutError:
                note = f"> {spec['timeout']:.0f} s (stopped)"
                break
            except Exception as exc:  # an engine difference: report it, keep going
                note = f"error: {type(exc).__name__}: {str(exc)[:80]}"
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        out[q["name"]] = {"times": times, "cpu_times": cpus, "rows": rows, "note": note}
    return out


def worker_export(spec: dict[str, Any]) -> dict[str, Any]:
    import networkx as nx

    import ssegraph
    from ssegraph.export import write_graphml

    kg = ssegraph.load(spec["data"], cache_dir=spec["cache_dir"])
    out_dir = Path(spec["out"])
    start = time.perf_counter()
    G = kg.to_networkx()
    projected = time.perf_counter()
    # Both writers once on a two-node graph first, so neither is charged for importing its XML library.
    tiny = G.subgraph(list(G.nodes)[:2]).copy()
    write_graphml(tiny, out_dir / "warm-ssegraph.graphml")
    try:
        nx.write_graphml(tiny, out_dir / "warm-networkx.graphml")
    except Exception:  # noqa: S110 - reported below, on the real graph
        pass
    resume = time.perf_counter()
    write_graphml(G, out_dir / "ssegraph.graphml")
    written = time.perf_counter()
    res: dict[str, Any] = {"project": projected - start, "write": written - resume,
                           "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    try:
        start = time.perf_counter()
        nx.write_graphml(G, out_dir / "networkx.graphml")
        res["nx_write"] = time.perf_counter() - start
    except Exception as exc:  # networkx refuses some attribute values ssegraph's writer handles
        res["nx_error"] = f"{type(exc).__name__}: {str(exc)[:100]}"
    res["bytes"] = (out_dir / "ssegraph.graphml").stat().st_size
    return res


def worker_view(spec: dict[str, Any]) -> dict[str, Any]:
    import ssegraph

    kg = ssegraph.load(spec["data"], cache_dir=spec["cache_dir"])
    out_dir = Path(spec["out"])
    start = time.perf_counter()
    page = kg.view(out_dir / "view.html", max_nodes=None)
    res: dict[str, Any] = {"view": time.perf_counter() - start, "nodes": getattr(page, "nodes", None),
                           "edges": getattr(page, "edges", None)}
    try:
        from pyvis.network import Network

        start = time.perf_counter()
        G = kg.to_networkx()
        net = Network(cdn_resources="in_line", directed=True)
        net.from_nx(G.copy())
        (out_dir / "pyvis.html").write_text(net.generate_html(), encoding="utf-8")
        res["pyvis"] = time.perf_counter() - start
    except Exception as exc:
        res["pyvis_error"] = f"{type(exc).__name__}: {str(exc)[:100]}"
    return res


def worker_project_count(spec: dict[str, Any]) -> dict[str, Any]:
    import ssegraph

    kg = ssegraph.load(spec["data"], cache_dir=spec["cache_dir"])
    G = kg.to_networkx()
    return {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}


WORKERS = {
    "build-ssegraph": worker_build_ssegraph,
    "build-pyoxigraph": worker_build_pyoxigraph,
    "build-rdflib": worker_build_rdflib,
    "inproc": worker_inproc,
    "inproc-rdflib": worker_inproc_rdflib,
    "export": worker_export,
    "view": worker_view,
    "project-count": worker_project_count,
}


def _synth_triples(folder: Path) -> int:
    """Triples in the synthetic files of ``folder`` (not the ontology ``ssegraph.load`` adds)."""
    import pyoxigraph as ox

    return sum(sum(1 for _ in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)) for f in folder.glob("*.ttl"))


def _du(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20


# -- the benchmark -----------------------------------------------------------------------------


@dataclass
class NamedQuery:
    """A catalogue query as the benchmark runs it: CLI parameters and the exact engine text."""

    name: str
    params: dict[str, str]
    text: str
    substitutions: dict[str, str]
    format: str
    note: str = ""


@dataclass
class SizeResult:
    """Everything measured at one size."""

    label: str
    requested: int
    triples: int = 0
    files: list[str] = field(default_factory=list)
    build: dict[str, Stat] = field(default_factory=dict)
    build_mem: dict[str, Stat] = field(default_factory=dict)
    build_cpu: dict[str, Stat] = field(default_factory=dict)
    disk_mb: dict[str, float] = field(default_factory=dict)
    process: dict[str, dict[str, Stat]] = field(default_factory=dict)
    process_mem: dict[str, dict[str, Stat]] = field(default_factory=dict)
    process_cpu: dict[str, dict[str, Stat]] = field(default_factory=dict)
    commands: dict[str, Stat] = field(default_factory=dict)
    commands_mem: dict[str, Stat] = field(default_factory=dict)
    commands_cpu: dict[str, Stat] = field(default_factory=dict)
    commands_rc: dict[str, list[int]] = field(default_factory=dict)
    inproc: dict[str, dict[str, Stat]] = field(default_factory=dict)
    inproc_cpu: dict[str, dict[str, Stat]] = field(default_factory=dict)
    guard: dict[str, Stat] = field(default_factory=dict)
    guard_cpu: dict[str, Stat] = field(default_factory=dict)
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    rdflib_parse: Stat = field(default_factory=Stat)
    export: dict[str, Stat] = field(default_factory=dict)
    export_info: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Bench:
    """One benchmark run: options, the scratch folder and the results so far."""

    sizes: list[tuple[str, int]]
    repeats: int
    work: Path
    quick: bool = False
    rdflib_repeats: int = 3
    rdflib_query_max: int = 1_000_000
    rdflib_timeout: float = 300.0
    command_timeout: float = 600.0
    validate_max: int = 1_000_000
    view_nodes: int = 2000
    seed: int = 0
    results: list[SizeResult] = field(default_factory=list)
    view: dict[str, Any] = field(default_factory=dict)
    imports: dict[str, Any] = field(default_factory=dict)
    startup: dict[str, Stat] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    started: str = ""
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def log(self, msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    # -- helpers -------------------------------------------------------------------------
    def ssegraph_cmd(self) -> list[str]:
        """The installed console script when there is one (what users run), else ``-m``."""
        script = Path(sys.executable).parent / "ssegraph"
        return [str(script)] if script.exists() else [sys.executable, "-m", "ssegraph"]

    def rdflib_reps(self, triples: int) -> int:
        return self.repeats if triples <= 200_000 else min(self.repeats, self.rdflib_repeats)

    def prepare(self, label: str, triples: int) -> tuple[Path, Path, Any]:
        from ssegraph.synth import write_synth

        data = self.work / f"data-{label}"
        summary = write_synth(data, triples, seed=self.seed)
        self.log(f"{label}: synthetic data {summary}")
        return data, self.work / f"cache-{label}", summary

    def capture_queries(self, kg: Any) -> list[NamedQuery]:
        """The named queries with synthetic parameters, and the exact text ssegraph sends.

        A recording proxy in front of the pyoxigraph store captures the query text (prologue and
        bound values included) and keyword arguments, so that the raw pyoxigraph and rdflib
        baselines run precisely what ssegraph runs.
        """
        from ssegraph.catalog import list_queries

        class Recorder:
            def __init__(self, inner: Any) -> None:
                self.inner, self.calls = inner, []

            def __getattr__(self, name: str) -> Any:
                return getattr(self.inner, name)

            def __len__(self) -> int:
                return len(self.inner)

            def query(self, text: str, **kwargs: Any) -> Any:
                self.calls.append((text, kwargs))
                return self.inner.query(text, **kwargs)

        store = kg.backend.store
        rec = Recorder(store)
        kg.backend.store = rec
        out = []
        try:
            for nq in list_queries():
                params, note = {}, ""
                for p in nq.params:
                    if p.type == "iri" and p.name in SYNTH_PARAMS:
                        params[p.name] = SYNTH_PARAMS[p.name]
                    elif p.default is not None:
                        params[p.name] = p.default
                        if p.type == "iri":
                            note = f"?{p.name} = {p.default} (the default; absent from synthetic data)"
                    else:
                        note = f"skipped: no synthetic value for required ?{p.name}"
                if note.startswith("skipped"):
                    self.notes.append(f"{nq.name}: {note}")
                    continue
                rec.calls.clear()
                result = kg.named_query(nq.name, params)
                fmt = "nt" if result.kind == "graph" else "csv"
                result.to(fmt)
                text, kwargs = rec.calls[-1]
                subs = {v.value: str(t) for v, t in (kwargs.get("substitutions") or {}).items()}
                out.append(NamedQuery(nq.name, params, text, subs, fmt, note))
        finally:
            kg.backend.store = store
        return out

    # -- 1. build ------------------------------------------------------------------------
    def bench_build(self, res: SizeResult, files: list[str]) -> None:
        engines = ["ssegraph", "pyoxigraph", "pyoxigraph-optimized", "rdflib"]
        for e in engines:
            res.build[e], res.build_mem[e], res.build_cpu[e] = Stat(), Stat(), Stat()
        for path in files:  # the page cache holds the inputs for every engine alike
            Path(path).read_bytes()
        for r in range(self.repeats):
            for e in engines:
                if e == "rdflib" and r >= self.rdflib_reps(res.triples):
                    continue
                scratch = Path(tempfile.mkdtemp(prefix=f"build-{e}-", dir=self.work))
                try:
                    if e == "ssegraph":
                        run = run_worker("build-ssegraph", {"files": files, "cache_dir": str(scratch)}, self.work)
                    elif e == "rdflib":
                        run = run_worker("build-rdflib", {"files": files}, self.work)
                    else:
                        spec = {"files": files, "path": str(scratch / "store"), "optimize": e != "pyoxigraph"}
                        run = run_worker("build-pyoxigraph", spec, self.work)
                finally:
                    shutil.rmtree(scratch, ignore_errors=True)
                res.build[e].add(run.result["seconds"])
                res.build_cpu[e].add(run.result["cpu"])
                res.build_mem[e].add(run.maxrss_mb)
                if "disk_mb" in run.result:
                    res.disk_mb[e] = run.result["disk_mb"]
            self.log(f"{res.label}: build round {r + 1}/{self.repeats}: "
                     + ", ".join(f"{e} {res.build[e].values[-1]:.2f}s" for e in engines
                                 if len(res.build[e].values) == r + 1))

    # -- 2. whole query process -------------------------------------------------------------
    def bench_process(self, res: SizeResult, data: Path, cache: Path, store_path: Path,
                      queries: list[NamedQuery], files: list[str]) -> None:
        base = [*self.ssegraph_cmd(), "--data", str(data), "--cache-dir", str(cache), "-q", "query"]
        qdir = self.work / f"queries-{res.label}"
        qdir.mkdir(exist_ok=True)
        cmds: dict[str, dict[str, list[str]]] = {}
        for q in queries:
            if q.substitutions or q.format != "csv":
                res.notes.append(f"{q.name}: not in the process benchmark (needs substitutions or RDF output)")
                continue
            qfile = qdir / f"{q.name}.rq"
            qfile.write_text(q.text, encoding="utf-8")
            params = [x for k, v in q.params.items() for x in ("-p", f"{k}={v}")]
            cmds[q.name] = {
                "ssegraph": [*base, "--name", q.name, *params, "--format", "csv"],
                "pyoxigraph": [sys.executable, "-c", MINIMAL_PYOXIGRAPH, str(store_path), str(qfile)],
            }
        for name, by_engine in cmds.items():
            res.process[name] = {e: Stat() for e in by_engine}
            res.process_mem[name] = {e: Stat() for e in by_engine}
            res.process_cpu[name] = {e: Stat() for e in by_engine}
            for cmd in by_engine.values():  # warm the page cache and the hash cache
                run_process(cmd)
            for _ in range(self.repeats):
                for e, cmd in by_engine.items():  # interleaved, so load spikes hit both alike
                    run = run_process(cmd)
                    res.process[name][e].add(run.seconds)
                    res.process_mem[name][e].add(run.maxrss_mb)
                    res.process_cpu[name][e].add(run.cpu)
        self.log(f"{res.label}: query processes done for {len(cmds)} queries")
        # rdflib: parse everything and run one query, per process
        if PROCESS_QUERY in cmds:
            qfile = qdir / f"{PROCESS_QUERY}.rq"
            cmd = [sys.executable, "-c", MINIMAL_RDFLIB, str(qfile), *files]
            stat, mem = Stat(), Stat()
            for _ in range(self.rdflib_reps(res.triples)):
                run = run_process(cmd)
                stat.add(run.seconds)
                mem.add(run.maxrss_mb)
            res.process[PROCESS_QUERY]["rdflib"] = stat
            res.process_mem[PROCESS_QUERY]["rdflib"] = mem
            self.log(f"{res.label}: rdflib query process {stat.cell()}")

    def bench_guard(self, res: SizeResult, data: Path, cache: Path, queries: list[NamedQuery]) -> None:
        """The cost of the time limit on the fast path: one fast named query as a whole process,
        with the process guard (what users run: time limit, memory limit, Ctrl-C) and without."""
        names = [q.name for q in queries if not q.substitutions and q.format == "csv"]
        if not names:
            return
        q = next(x for x in queries if x.name == (PROCESS_QUERY if PROCESS_QUERY in names else names[0]))
        params = [x for k, v in q.params.items() for x in ("-p", f"{k}={v}")]
        args = ["--data", str(data), "--cache-dir", str(cache), "-q", "query", "--name", q.name, *params,
                "--format", "csv"]
        cmds = {"guarded": [sys.executable, "-c", GUARDED, *args],
                "unguarded": [sys.executable, "-c", UNGUARDED, *args]}
        for cmd in cmds.values():
            run_process(cmd)
        res.guard = {k: Stat() for k in cmds}
        res.guard_cpu = {k: Stat() for k in cmds}
        for _ in range(max(5, self.repeats) * 2):
            for k, cmd in cmds.items():  # interleaved
                run = run_process(cmd)
                res.guard[k].add(run.seconds)
                res.guard_cpu[k].add(run.cpu)
        res.rows.setdefault("guard", {})["query"] = q.name
        self.log(f"{res.label}: guard {res.guard['guarded'].cell()} vs {res.guard['unguarded'].cell()}")

    def bench_startup(self) -> None:
        """What a Python process pays before it touches any data: the floor under measurement 2."""
        cmds = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "+ import pyoxigraph": [sys.executable, "-c", "import pyoxigraph"],
            "+ import click": [sys.executable, "-c", "import click, pyoxigraph"],
            "+ import ssegraph.cli.core (every module a query process loads before reading data)":
                [sys.executable, "-c", "import ssegraph.cli.core, ssegraph.store, ssegraph.catalog, pyoxigraph"],
        }
        for cmd in cmds.values():
            run_process(cmd)
        self.startup = {k: Stat() for k in cmds}
        for _ in range(max(5, self.repeats) * 2):
            for k, cmd in cmds.items():
                self.startup[k].add(run_process(cmd).seconds)

    def bench_imports(self, data: Path, cache: Path, queries: list[NamedQuery]) -> None:
        """Which modules a ``query`` process imports, from ``python -X importtime``."""
        names = [q.name for q in queries if not q.substitutions]
        if not names:
            return
        q = next(x for x in queries if x.name == (PROCESS_QUERY if PROCESS_QUERY in names else names[0]))
        params = [x for k, v in q.params.items() for x in ("-p", f"{k}={v}")]
        cmd = [sys.executable, "-X", "importtime", "-m", "ssegraph", "--data", str(data), "--cache-dir", str(cache),
               "-q", "query", "--name", q.name, *params, "--format", "csv"]
        run = run_process(cmd)
        mods: dict[str, int] = {}
        for line in run.stderr.splitlines():
            if line.startswith("import time:") and "|" in line:
                parts = line[len("import time:"):].split("|")
                try:
                    mods[parts[2].strip()] = int(parts[1])
                except (ValueError, IndexError):
                    continue
        heavy = sorted(m for m in mods if m.split(".")[0] in ("rdflib", "networkx", "pyvis", "pandas", "pyshacl"))
        top = sorted(((us, m) for m, us in mods.items() if "." not in m), reverse=True)[:8]
        self.imports = {"query": q.name, "modules": len(mods), "heavy": heavy,
                        "top": [(m, us / 1000) for us, m in top]}

    # -- 3. other commands ----------------------------------------------------------------
    def bench_commands(self, res: SizeResult, data: Path, cache: Path) -> None:
        """The other read commands (``OTHER_COMMANDS``) as whole processes on the built store.

        Like measurement 2: cold process, warm cache (one untimed run of each first), then rounds
        taking turns so that a burst of outside load does not land on one command only. A run that
        hits ``command_timeout`` is killed and the command reported as not finishing, and a command
        that fails becomes a note; neither stops the benchmark, since "it never finished at a
        million triples" is exactly what this measurement is there to catch. ``validate`` runs up
        to ``validate_max`` triples (default 1M: the shapes run as SPARQL on the store, and
        pySHACL judges only the nodes they flag).
        """
        base = [*self.ssegraph_cmd(), "--data", str(data), "--cache-dir", str(cache), "-q"]
        cmds: dict[str, list[str]] = {}
        for name, args in OTHER_COMMANDS.items():
            res.commands[name], res.commands_mem[name], res.commands_cpu[name] = Stat(), Stat(), Stat()
            res.commands_rc[name] = []
            if name == "validate" and res.requested > self.validate_max:
                res.commands[name].note = f"not run above {fmt_count(self.validate_max)} triples"
                continue
            cmds[name] = [*base, *args]

        def once(name: str) -> Run | None:
            """One run of ``name``; None, with the reason noted, when it timed out or failed."""
            try:
                run = run_process(cmds[name], timeout=self.command_timeout, ok_codes=COMMAND_OK_CODES.get(name, (0,)))
            except BenchTimeout:
                res.commands[name].note = f"did not finish within {self.command_timeout:.0f} s"
                res.notes.append(f"`{name}` did not finish within {self.command_timeout:.0f} s (stopped)")
            except BenchError as exc:
                res.commands[name].note = f"failed (exit {exc.rc})"
                tail = [line for line in str(exc).splitlines()[1:] if line.strip()]
                res.notes.append(f"`{name}` failed with exit code {exc.rc}"
                                 + (f": {tail[-1][:200]}" if tail else ""))
            else:
                res.commands_rc[name].append(run.rc)
                return run
            del cmds[name]  # no more runs of a command that hangs or fails
            return None

        for name in list(cmds):  # warm the page cache and the hash cache
            once(name)
        for _ in range(self.repeats):
            for name in list(cmds):
                run = once(name)
                if run is not None:
                    res.commands[name].add(run.seconds)
                    res.commands_mem[name].add(run.maxrss_mb)
                    res.commands_cpu[name].add(run.cpu)
        self.log(f"{res.label}: other commands: "
                 + ", ".join(f"{n} {_command_cell(s)}" for n, s in res.commands.items()))

    # -- 4. in-process queries -----------------------------------------------------------
    def bench_inproc(self, res: SizeResult, data: Path, cache: Path, store_path: Path,
                     queries: list[NamedQuery], files: list[str]) -> None:
        qspec = [{"name": q.name, "params": q.params, "text": q.text, "substitutions": q.substitutions,
                  "format": q.format} for q in queries]
        # Does optimize() pay off? The same store, built without it, answers the same queries.
        noopt = Path(tempfile.mkdtemp(prefix="noopt-", dir=self.work))
        try:
            run_worker("build-pyoxigraph", {"files": files, "path": str(noopt / "store"), "optimize": False},
                       self.work)
            pair = run_worker("inproc", {"data": [str(data)], "cache_dir": str(cache), "store": str(store_path),
                                         "noopt": str(noopt / "store"), "queries": qspec, "files": files,
                                         "repeats": self.repeats}, self.work).result
        finally:
            shutil.rmtree(noopt, ignore_errors=True)
        rdflib = None
        if res.requested <= self.rdflib_query_max:
            run = run_worker("inproc-rdflib", {"files": files, "queries": qspec,
                                               "repeats": self.rdflib_reps(res.triples),
                                               "timeout": self.rdflib_timeout}, self.work)
            rdflib = run.result
            res.rdflib_parse.add(rdflib.pop("_parse"))
        else:
            res.notes.append(f"rdflib in-process queries not run at {res.label} (above --rdflib-query-max)")
        for q in queries:
            by_engine = dict(pair[q.name])
            if rdflib is not None:
                by_engine["rdflib"] = rdflib[q.name]
            res.inproc[q.name], res.inproc_cpu[q.name], res.rows[q.name] = {}, {}, {}
            for e, r in by_engine.items():
                res.inproc[q.name][e] = Stat(r["times"], r.get("note", ""))
                res.inproc_cpu[q.name][e] = Stat(r["cpu_times"], r.get("note", ""))
                res.rows[q.name][e] = r["rows"]
        self.log(f"{res.label}: in-process queries done")

    # -- 5. export -----------------------------------------------------------------------
    def bench_export(self, res: SizeResult, data: Path, cache: Path) -> None:
        for k in ("project", "write", "nx_write", "total", "mem"):
            res.export[k] = Stat()
        for _ in range(self.repeats):
            out = Path(tempfile.mkdtemp(prefix="export-", dir=self.work))
            try:
                run = run_worker("export", {"data": [str(data)], "cache_dir": str(cache), "out": str(out)}, self.work)
            finally:
                shutil.rmtree(out, ignore_errors=True)
            r = run.result
            res.export["project"].add(r["project"])
            res.export["write"].add(r["write"])
            res.export["total"].add(r["project"] + r["write"])
            if "nx_write" in r:
                res.export["nx_write"].add(r["nx_write"])
            else:
                res.export["nx_write"].note = r.get("nx_error", "failed")
            res.export["mem"].add(run.maxrss_mb)
            res.export_info = {"nodes": r["nodes"], "edges": r["edges"], "mb": r["bytes"] / 2**20}
        self.log(f"{res.label}: export {res.export['total'].cell()}")

    def bench_view(self, calib: tuple[Path, Path, int] | None) -> None:
        """The HTML view of about ``view_nodes`` nodes, on data sized for that from a calibration."""
        if calib is None:
            return
        data, cache, _ = calib
        counted = run_worker("project-count", {"data": [str(data)], "cache_dir": str(cache)}, self.work).result
        from ssegraph.synth import write_synth

        want = max(500, int(_synth_triples(data) / max(1, counted["nodes"]) * self.view_nodes))
        label = f"view-{self.view_nodes}"
        vdata, vcache = self.work / f"data-{label}", self.work / f"cache-{label}"
        for _ in range(4):  # nodes grow about linearly with the data: rescale until within 5 %
            summary = write_synth(vdata, want, seed=self.seed)
            nodes = run_worker("project-count", {"data": [str(vdata)], "cache_dir": str(vcache)},
                               self.work).result["nodes"]
            if abs(nodes - self.view_nodes) <= 0.05 * self.view_nodes:
                break
            want = max(200, int(summary.triples * self.view_nodes / max(1, nodes)))
        self.log(f"view data: {summary}: {nodes} nodes")
        stats = {"view": Stat(), "pyvis": Stat(), "mem": Stat()}
        info: dict[str, Any] = {"triples": summary.triples}
        for _ in range(self.repeats):
            out = Path(tempfile.mkdtemp(prefix="view-", dir=self.work))
            try:
                run = run_worker("view", {"data": [str(vdata)], "cache_dir": str(vcache), "out": str(out)},
                                 self.work, cwd=out)
            finally:
                shutil.rmtree(out, ignore_errors=True)
            r = run.result
            stats["view"].add(r["view"])
            stats["mem"].add(run.maxrss_mb)
            if "pyvis" in r:
                stats["pyvis"].add(r["pyvis"])
            else:
                stats["pyvis"].note = r.get("pyvis_error", "failed")
            info.update(nodes=r["nodes"], edges=r["edges"])
        self.view = {"stats": stats, "info": info}
        self.log(f"view at {info.get('nodes')} nodes: {stats['view'].cell()}")

    # -- all -----------------------------------------------------------------------------
    def run(self) -> None:
        import importlib.util

        import ssegraph

        self.started = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        self.load_before = os.getloadavg()
        have_network = importlib.util.find_spec("ssegraph.network") is not None
        have_export = have_network and importlib.util.find_spec("ssegraph.export") is not None
        if have_export:
            import ssegraph.export as export_module

            have_export = hasattr(export_module, "write_graphml")
        have_view = have_network and importlib.util.find_spec("ssegraph.view") is not None
        if not have_export:
            self.notes.append("Projection and GraphML export skipped: ssegraph.network or ssegraph.export."
                              "write_graphml is not there yet; the rows fill in once they exist.")
        if not have_view:
            self.notes.append("HTML view skipped: ssegraph.view (or the projection it needs) is not there yet.")
        calib = None
        for label, triples in self.sizes:
            data, cache, summary = self.prepare(label, triples)
            res = SizeResult(label, triples, summary.triples)
            kg = ssegraph.load([str(data)], cache_dir=cache)  # the store every query benchmark reads
            res.files = [str(f) for f in kg.files]
            res.triples = len(kg.backend)
            store_path = kg.backend.path
            queries = self.capture_queries(kg)
            del kg
            self.bench_build(res, res.files)
            self.bench_process(res, data, cache, store_path, queries, res.files)
            self.bench_guard(res, data, cache, queries)
            self.bench_commands(res, data, cache)
            if not self.imports:
                self.bench_imports(data, cache, queries)
                self.bench_startup()
            self.bench_inproc(res, data, cache, store_path, queries, res.files)
            if have_export:
                try:
                    self.bench_export(res, data, cache)
                except BenchError as exc:
                    res.notes.append(f"export failed: {str(exc).splitlines()[-1][:200]}")
                    have_export = False
            if calib is None:
                calib = (data, cache, res.triples)
            self.results.append(res)
        if have_view:
            try:
                self.bench_view(calib)
            except BenchError as exc:
                self.notes.append(f"HTML view failed: {str(exc).splitlines()[-1][:200]}")
        self.load_after = os.getloadavg()


# -- the report --------------------------------------------------------------------------------


def _machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GB"
    except OSError:
        pass
    return {"cores": str(os.cpu_count()), "cpu": cpu, "memory": mem,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version()}


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("ssegraph", "pyoxigraph", "rdflib", "networkx", "pyvis", "igraph", "click"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
        return sha + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _status(value: float, goal: float, higher_is_better: bool = False) -> str:
    if value != value:
        return "n/a"
    ok = value >= goal if higher_is_better else value <= goal
    return "met" if ok else "**missed**"


def _per_triple(stat: Stat, triples: int) -> float:
    return stat.median / triples if stat.ok and triples else float("nan")


def report(b: Bench) -> str:
    """The Markdown report of a finished run."""
    m, v = _machine(), _versions()
    lines: list[str] = []
    add = lines.append
    sizes = ", ".join(f"{r.label} ({r.triples:,} triples)" for r in b.results)
    add("# ssegraph benchmarks")
    add("")
    if b.quick:
        add("> **Quick run (`--quick`, for CI): tiny sizes and one repeat; the figures mean nothing.**")
        add("")
    add(f"Measured by `python benchmarks/run.py --sizes {','.join(r.label for r in b.results)} "
        f"--repeats {b.repeats}` on {b.started}, commit {_commit()}.")
    add("")
    add(f"- Machine: {m['cores']} cores ({m['cpu']}), {m['memory']} RAM, {m['os']}; load average "
        f"{b.load_before[0]:.2f} at the start, {b.load_after[0]:.2f} at the end (the machine is shared, so "
        "absolute times drift; ratios are taken between runs interleaved in time).")
    add(f"- Versions: Python {m['python']}, " + ", ".join(f"{k} {x}" for k, x in v.items()) + ".")
    add(f"- Data: synthetic SSE-shaped Turtle (`ssegraph synth`, seed {b.seed}) plus the bundled ontology "
        f"that `ssegraph.load` adds, at {sizes}.")
    add(f"- Every figure is the median of {b.repeats} runs, with the range (min–max) in brackets; each build, "
        "query process, other command, export and view is a fresh process. rdflib runs "
        f"{b.rdflib_repeats} times above 200k triples (it takes minutes there). Build times are measured "
        "inside the process (after imports); query-process times are the whole process, spawn to exit. "
        "Peak memory is the process's own `ru_maxrss`. *On CPU time* gives the same ratios computed on "
        "user + system CPU time (all threads), which other load on a shared machine disturbs much less than "
        "wall-clock time; the targets are judged on wall-clock time.")
    add("")

    # -- targets --------------------------------------------------------------------------
    add("## Targets (issue 7)")
    add("")
    add("| Target | Size | Measured | On CPU time | Goal | Status |")
    add("|---|---|---|---|---|---|")

    def row(target: str, size: str, wall: str, cpu: str, goal: str, status: str) -> None:
        add(f"| {target} | {size} | {wall} | {cpu} | {goal} | {status} |")

    g = TARGETS
    for r in b.results:
        x = ratio(r.build["ssegraph"], r.build["pyoxigraph"])
        c = ratio(r.build_cpu["ssegraph"], r.build_cpu["pyoxigraph"])
        row("Store build ÷ raw pyoxigraph bulk load", r.label, fmt_ratio(x), fmt_ratio(c), f"≤ {g['build_vs_raw']}×",
            _status(x, g["build_vs_raw"]))
    for r in b.results:
        e = "pyoxigraph-optimized"
        x, c = ratio(r.build["ssegraph"], r.build[e]), ratio(r.build_cpu["ssegraph"], r.build_cpu[e])
        row("(same, against pyoxigraph building the same store: bulk load + optimize)", r.label,
            fmt_ratio(x), fmt_ratio(c), f"≤ {g['build_vs_raw']}×", _status(x, g["build_vs_raw"]))
    for r in b.results:
        x, c = ratio(r.build["rdflib"], r.build["ssegraph"]), ratio(r.build_cpu["rdflib"], r.build_cpu["ssegraph"])
        row("Store build speed-up over rdflib parse", r.label, fmt_ratio(x), fmt_ratio(c), f"≥ {g['build_vs_rdflib']}×",
            _status(x, g["build_vs_rdflib"], True))
    for r in b.results:
        ratios = {q: ratio(s["ssegraph"], s["pyoxigraph"]) for q, s in r.process.items()}
        cpus = {q: ratio(s["ssegraph"], s["pyoxigraph"]) for q, s in r.process_cpu.items()}
        if ratios:
            worst = max(ratios, key=lambda q: ratios[q])
            med, cmed = statistics.median(ratios.values()), statistics.median(cpus.values())
            goal = g["process_vs_minimal"]
            row("Whole `ssegraph query` process ÷ minimal pyoxigraph script (median over queries; worst)", r.label,
                f"{fmt_ratio(med)}; {fmt_ratio(ratios[worst])} ({worst})",
                f"{fmt_ratio(cmed)}; {fmt_ratio(cpus[worst])}",
                f"≤ {goal}×", f"{_status(med, goal)}; {_status(ratios[worst], goal)}")
    for r in b.results:
        if r.guard:
            x, c = ratio(r.guard["guarded"], r.guard["unguarded"]), ratio(r.guard_cpu["guarded"],
                                                                           r.guard_cpu["unguarded"])
            row("Time limit on the fast path: `query` process with the guard ÷ without (issue 13)", r.label,
                fmt_ratio(x), fmt_ratio(c), f"≤ {g['guard']}×", _status(x, g["guard"]))
    for r in b.results:
        ratios = {q: ratio(s["ssegraph"], s["pyoxigraph"]) for q, s in r.inproc.items()}
        cpus = {q: ratio(s["ssegraph"], s["pyoxigraph"]) for q, s in r.inproc_cpu.items()}
        if ratios:
            worst = max(ratios, key=lambda q: ratios[q])
            row("Named query in-process ÷ raw pyoxigraph (worst query)", r.label,
                f"{fmt_ratio(ratios[worst])} ({worst})", fmt_ratio(cpus[worst]), f"≤ {g['inproc_vs_raw']}×",
                _status(ratios[worst], g["inproc_vs_raw"]))
    for r in b.results:
        speed = {q: ratio(s["rdflib"], s["ssegraph"]) for q, s in r.inproc.items() if "rdflib" in s and s["rdflib"].ok}
        if speed:
            cpus = {q: ratio(r.inproc_cpu[q]["rdflib"], r.inproc_cpu[q]["ssegraph"]) for q in speed}
            worst = min(speed, key=lambda q: speed[q])
            below = sum(1 for x in speed.values() if x < g["inproc_vs_rdflib"])
            row("Named query speed-up over rdflib (slowest query; queries below goal)", r.label,
                f"{fmt_ratio(speed[worst])} ({worst}); {below} of {len(speed)} below", fmt_ratio(cpus[worst]),
                f"≥ {g['inproc_vs_rdflib']}×", _status(speed[worst], g["inproc_vs_rdflib"], True))
    if len(b.results) >= 2:
        small, big = b.results[-2], b.results[-1]

        def growth(stat_of: Any) -> float:
            a, c = _per_triple(stat_of(big), big.triples), _per_triple(stat_of(small), small.triples)
            return a / c if a == a and c == c and c else float("nan")

        rows = (
            ("Store build", lambda r: r.build["ssegraph"], lambda r: r.build["pyoxigraph"],
             lambda r: r.build_cpu["ssegraph"], "raw pyoxigraph"),
            ("Projection + GraphML export", lambda r: r.export.get("total", Stat()),
             lambda r: r.export.get("nx_write", Stat()), None, "networkx write_graphml alone"),
        )
        for what, ours, theirs, cpu_of, who in rows:
            x, ref = growth(ours), growth(theirs)
            context = f" ({who}: {fmt_ratio(ref)})" if ref == ref else ""
            row(f"{what}: time per triple at {big.label} ÷ at {small.label}", f"{small.label}→{big.label}",
                f"{fmt_ratio(x)}{context}", fmt_ratio(growth(cpu_of)) if cpu_of else "–", f"≤ {g['growth']}×",
                _status(x, g["growth"]))
    pair = _growth_pair(b.results)
    if pair and any(r.commands for r in pair):
        small, big = pair
        stuck = [f"`{n}` at {r.label}: {r.commands[n].note}" for r in pair for n in GROWTH_COMMANDS
                 if n in r.commands and r.commands[n].note]
        what = (f"Other commands ({', '.join(GROWTH_COMMANDS)}): time per triple at {big.label} ÷ at {small.label} "
                "(worst)")
        if stuck:  # a command that never finished has no growth to show, and misses the goal outright
            row(what, f"{small.label}→{big.label}", "; ".join(stuck), "–", f"≤ {g['growth']}×", "**missed**")
        else:
            wall = {n: _cmd_growth("commands", n, small, big) for n in GROWTH_COMMANDS}
            known = {n: x for n, x in wall.items() if x == x}
            worst = max(known, key=lambda n: known[n]) if known else GROWTH_COMMANDS[0]
            x = wall[worst]
            row(what, f"{small.label}→{big.label}", f"{fmt_ratio(x)} ({worst})" if x == x else "–",
                fmt_ratio(_cmd_growth("commands_cpu", worst, small, big)), f"≤ {g['growth']}×",
                _status(x, g["growth"]))
    big = b.results[-1] if b.results else None
    if big:
        x = ratio(big.build_mem["ssegraph"], big.build_mem["pyoxigraph"])
        row("Peak memory of the build ÷ raw pyoxigraph's", big.label, fmt_ratio(x), "–",
            f"≤ {g['build_memory']}×", _status(x, g["build_memory"]))
    if b.imports:
        heavy = ", ".join(b.imports["heavy"]) or "none"
        row("Heavy imports in a `query` process (rdflib, networkx, pyvis, pandas, pyshacl)", "–", heavy, "–",
            "none", "met" if not b.imports["heavy"] else "**missed**")
    add("")

    # -- 1 ----------------------------------------------------------------------------------
    add("## 1. Building the store from Turtle")
    add("")
    add("ssegraph is `ssegraph.store.ensure_store` on an empty cache: hash the inputs, bulk-load every file into "
        "the store's default graph, `flush()` + `optimize()`, rename into place. *pyoxigraph* is `Store(path)` + "
        "`bulk_load` of each file into the default graph (the limit). *+ optimize* adds `flush()` + `optimize()` "
        "to that, which is exactly the store ssegraph builds: the difference between those two columns is "
        "ssegraph's own work. *rdflib* is `Graph().parse` of each file, in memory.")
    add("")
    add("| Triples | ssegraph | pyoxigraph | pyoxigraph + optimize | rdflib | "
        "ssegraph ÷ pyoxigraph | ssegraph ÷ pyoxigraph + optimize | rdflib ÷ ssegraph | "
        "Peak MB: ssegraph / pyoxigraph / + optimize / rdflib | Store on disk: ssegraph / pyoxigraph |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    for r in b.results:
        eng = ["ssegraph", "pyoxigraph", "pyoxigraph-optimized", "rdflib"]
        mem = " / ".join(fmt_mb(r.build_mem[e].median, bare=True) if r.build_mem[e].ok else "–" for e in eng)
        disk = f"{r.disk_mb.get('ssegraph', float('nan')):.0f} / {r.disk_mb.get('pyoxigraph', float('nan')):.0f} MB"
        add(f"| {r.triples:,} | {r.build['ssegraph'].cell()} | {r.build['pyoxigraph'].cell()} | "
            f"{r.build['pyoxigraph-optimized'].cell()} | {r.build['rdflib'].cell()} | "
            f"{fmt_ratio(ratio(r.build['ssegraph'], r.build['pyoxigraph']))} | "
            f"{fmt_ratio(ratio(r.build['ssegraph'], r.build['pyoxigraph-optimized']))} | "
            f"{fmt_ratio(ratio(r.build['rdflib'], r.build['ssegraph']))} | {mem} | {disk} |")
    add("")
    add("Time per triple (µs), ssegraph / pyoxigraph: " + "; ".join(
        f"{r.label} {_per_triple(r.build['ssegraph'], r.triples) * 1e6:.2f} / "
        f"{_per_triple(r.build['pyoxigraph'], r.triples) * 1e6:.2f}" for r in b.results) + ".")
    add("")

    # -- 2 ----------------------------------------------------------------------------------
    add("## 2. A whole `ssegraph query --name …` process")
    add("")
    add("`ssegraph --data DIR --cache-dir C -q query --name NAME [-p k=v] --format csv > /dev/null` on the built "
        "store (cold process, warm cache: one untimed run first), against this minimal script given the same "
        "store and the exact query text ssegraph sends (prologue and bound values included):")
    add("")
    add("```python")
    add(MINIMAL_PYOXIGRAPH.rstrip())
    add("```")
    add("")
    add(f"The rdflib baseline parses every input file and runs `{PROCESS_QUERY}` (one query: it re-parses "
        "everything each time).")
    add("")
    for r in b.results:
        if not r.process:
            continue
        add(f"**{r.label}** ({r.triples:,} triples)")
        add("")
        add("| Query | Rows | ssegraph | minimal pyoxigraph | ratio | rdflib | Peak MB: ssegraph / minimal |")
        add("|---|---|---|---|---|---|---|")
        for q, s in r.process.items():
            mem = r.process_mem[q]
            rd = s["rdflib"].cell() if "rdflib" in s else ""
            n_rows = r.rows.get(q, {}).get("pyoxigraph", "")
            add(f"| {q} | {n_rows} | {s['ssegraph'].cell()} | {s['pyoxigraph'].cell()} | "
                f"{fmt_ratio(ratio(s['ssegraph'], s['pyoxigraph']))} | {rd} | "
                f"{fmt_mb(mem['ssegraph'].median, True)} / {fmt_mb(mem['pyoxigraph'].median, True)} |")
        add("")
    if b.startup:
        add("The floor under any Python command line, measured in the same run (whole processes, medians):")
        add("")
        add("| Process | Time |")
        add("|---|---|")
        for k, st in b.startup.items():
            add(f"| `{k}` | {st.cell()} |")
        add("")
    if b.imports:
        add(f"`python -X importtime -m ssegraph … query --name {b.imports['query']}` imports {b.imports['modules']} "
            f"modules; heavy ones: {', '.join(b.imports['heavy']) or 'none'}. Largest top-level imports "
            "(cumulative, inflated by -X importtime): "
            + ", ".join(f"{name} {ms:.1f} ms" for name, ms in b.imports["top"]) + ".")
        add("")

    # -- 2b ---------------------------------------------------------------------------------
    guarded = [r for r in b.results if r.guard]
    if guarded:
        add("## 2b. The time limit on the fast path")
        add("")
        add("pyoxigraph cannot be interrupted, so every command-line process runs a guard thread (`ssegraph.limits`) "
            "that ends it on Ctrl-C, at `--timeout` and above `--max-memory`. Its cost: the same fast `query` "
            "process (`" + next(iter(r.rows["guard"]["query"] for r in guarded)) + "`, CSV) started through "
            "`ssegraph.cli.main` (guard) and through the click group directly (no guard), taking turns.")
        add("")
        add("| Triples | with guard | without | ratio | on CPU time |")
        add("|---|---|---|---|---|")
        for r in guarded:
            add(f"| {fmt_count(r.triples)} | {r.guard['guarded'].cell()} | {r.guard['unguarded'].cell()} | "
                f"{fmt_ratio(ratio(r.guard['guarded'], r.guard['unguarded']))} | "
                f"{fmt_ratio(ratio(r.guard_cpu['guarded'], r.guard_cpu['unguarded']))} |")
        add("")

    # -- 3 ----------------------------------------------------------------------------------
    lines.extend(_commands_section(b))

    # -- 4 ----------------------------------------------------------------------------------
    add("## 4. Named queries in-process")
    add("")
    add("ssegraph: `kg.named_query(name, params).to(\"csv\")`; pyoxigraph: `store.query(text).serialize(CSV)` "
        "on the same store with the same text (the data is in the default graph, as ssegraph queries it); the "
        "same on the store built without `optimize()`; *no ORDER BY*, the same text without its final ORDER BY, "
        "on the same store (what sorting costs); *in memory*, the same text on the same files parsed into an "
        "in-memory store (what `ssegraph.load(memory=True)` queries). These run in one process, taking turns "
        "run by run after one untimed round, so that outside load hits them alike. rdflib: "
        "`graph.query(text).serialize(format=\"csv\")` on a parsed `Graph`, in its own process"
        f" (each query stopped after {b.rdflib_timeout:.0f} s). Rows differ "
        "where the engines disagree.")
    add("")
    for r in b.results:
        if not r.inproc:
            continue
        parse = f"; rdflib parse {r.rdflib_parse.cell()}" if r.rdflib_parse.ok else ""
        add(f"**{r.label}** ({r.triples:,} triples{parse})")
        add("")
        add("| Query | Rows (ssegraph/rdflib) | ssegraph | pyoxigraph | ssegraph ÷ pyoxigraph | "
            "pyoxigraph, store not optimized | pyoxigraph, no ORDER BY | pyoxigraph, in memory | rdflib | "
            "rdflib ÷ ssegraph |")
        add("|---|---|---|---|---|---|---|---|---|---|")
        for q, s in r.inproc.items():
            rows = r.rows[q]
            rr = f"{rows.get('ssegraph')}" + (f"/{rows.get('rdflib')}" if "rdflib" in rows else "")
            rd = s["rdflib"].cell() if "rdflib" in s else "not run"
            sp = fmt_ratio(ratio(s["rdflib"], s["ssegraph"])) if "rdflib" in s else "–"
            un = s["pyoxigraph-unoptimized"].cell() if "pyoxigraph-unoptimized" in s else "–"
            uo = s["pyoxigraph-unordered"].cell() if "pyoxigraph-unordered" in s else "–"
            me = s["pyoxigraph-memory"].cell() if "pyoxigraph-memory" in s else "–"
            add(f"| {q} | {rr} | {s['ssegraph'].cell()} | {s['pyoxigraph'].cell()} | "
                f"{fmt_ratio(ratio(s['ssegraph'], s['pyoxigraph']))} | {un} | {uo} | {me} | {rd} | {sp} |")
        add("")
        opt, unopt = _catalogue_pass(r)
        cost = r.build["pyoxigraph-optimized"].median - r.build["pyoxigraph"].median
        if unopt and opt:
            add(f"Does `optimize()` pay off at {r.label}? It adds about {fmt_seconds(max(cost, 0.0))} to the build "
                f"(pyoxigraph + optimize − pyoxigraph); one pass over the catalogue takes {fmt_seconds(opt)} on the "
                f"optimized store and {fmt_seconds(unopt)} on the same store not optimized ({unopt / opt:.2f}×).")
            add("")

    # -- 5 ----------------------------------------------------------------------------------
    add("## 5. Projection, GraphML export and the HTML view")
    add("")
    if any(r.export for r in b.results):
        add("`kg.to_networkx()` then `ssegraph.export.write_graphml(G, path)`; the baseline is networkx's own "
            "`write_graphml` on the same graph, already in memory.")
        add("")
        add("| Triples | Nodes / edges | Projection | ssegraph write_graphml | projection + write | networkx "
            "write_graphml | write ÷ networkx | µs per triple (projection + write) | Peak MB |")
        add("|---|---|---|---|---|---|---|---|---|")
        for r in b.results:
            if not r.export:
                continue
            e, i = r.export, r.export_info
            add(f"| {r.triples:,} | {i.get('nodes', 0):,} / {i.get('edges', 0):,} | {e['project'].cell()} | "
                f"{e['write'].cell()} | {e['total'].cell()} | {e['nx_write'].cell()} | "
                f"{fmt_ratio(ratio(e['write'], e['nx_write']))} | {_per_triple(e['total'], r.triples) * 1e6:.2f} | "
                f"{e['mem'].cell('MB')} |")
        add("")
    if b.view:
        s, i = b.view["stats"], b.view["info"]
        add(f"HTML view of {i.get('nodes', 0):,} nodes and {i.get('edges', 0):,} edges ({i['triples']:,} triples): "
            f"`kg.view(path, max_nodes=None)` (projection, layout, page) {s['view'].cell()}, peak "
            f"{s['mem'].cell('MB')}; pyvis's own `Network.from_nx` + `generate_html` on a fresh projection "
            f"{s['pyvis'].cell()}. (pyvis computes no layout and leaves the browser to simulate one, which DESIGN.md "
            "§7 measured at minutes for 2,000 nodes; ssegraph's page opens laid out and still.)")
        add("")
    for note in b.notes:
        if note.startswith(("Projection", "HTML")):
            add(f"- {note}")
    add("")

    # -- why ------------------------------------------------------------------------------
    why = analysis(b)
    if why:
        add("## Where a target is missed, by how much and why")
        add("")
        lines.extend(why)
        add("")

    # -- notes ----------------------------------------------------------------------------
    add("## Notes")
    add("")
    for note in b.notes:
        if not note.startswith(("Projection", "HTML")):
            add(f"- {note}")
    for r in b.results:
        for note in r.notes:
            add(f"- {r.label}: {note}")
    if not [n for n in b.notes if not n.startswith(("Projection", "HTML"))] and not any(r.notes for r in b.results):
        add("- Every named query ran at every size, on every engine.")
    add("")
    return "\n".join(lines)


def _commands_section(b: Bench) -> list[str]:
    """Section 3 of the report: the other read commands as whole processes, one row per command."""
    out: list[str] = []
    add = out.append
    add("## 3. Other commands, as whole processes")
    add("")
    add("`ssegraph --data DIR --cache-dir C -q COMMAND > /dev/null` on the store built for section 2, measured the "
        "same way (cold process, warm cache: one untimed run of each command first, then the commands taking turns "
        "round by round): `stats` (counts over the whole graph); `describe ORG` of the synthetic organisation the "
        f"named queries use as `org` ({SYNTH_PARAMS['org']}), the largest node of the synthetic data and so the "
        "worst case; `queries`, which lists the catalogue and touches no data, as the floor under the others; and "
        f"`validate`, at sizes up to {fmt_count(b.validate_max)} triples (the shapes run as SPARQL on the store; "
        "pySHACL judges only the nodes they flag; `benchmarks/validate_ratio.py` gives its ratio to the build). "
        f"Every run is stopped after {b.command_timeout:.0f} s, and a command stopped so is reported as not "
        "finishing. `validate` exits 1 when it finds violations: that is its answer, not a crash, and the exit-code "
        "column shows it; any other non-zero exit is a failure, shown in the table and under Notes.")
    add("")
    runs = [r for r in b.results if r.commands]
    if not runs:
        return out
    add(f"| Command | {' | '.join(f'{r.label} ({r.triples:,} triples)' for r in runs)} | "
        f"Peak MB ({' / '.join(r.label for r in runs)}) | Exit code |")
    add("|---|" + "---|" * len(runs) + "---|---|")
    for name, args in OTHER_COMMANDS.items():
        cells = " | ".join(_command_cell(r.commands[name]) if name in r.commands else "–" for r in runs)
        mem = " / ".join(fmt_mb(r.commands_mem[name].median, bare=True) if name in r.commands_mem
                         and r.commands_mem[name].ok else "–" for r in runs)
        codes = sorted({c for r in runs for c in r.commands_rc.get(name, [])})
        add(f"| `{' '.join(args)}` | {cells} | {mem} | {', '.join(str(c) for c in codes) or '–'} |")
    add("")
    pair = _growth_pair(runs)
    parts = []
    for name in OTHER_COMMANDS:
        done = [r for r in runs if _finished(r.commands.get(name, Stat()))]
        if pair and pair[0] in done and pair[1] in done:
            small, big = pair
        elif len(done) >= 2:  # validate, not run at the largest size: its own two largest
            small, big = done[-2], done[-1]
        else:
            continue
        text = f"`{name}` {fmt_ratio(_cmd_growth('commands', name, small, big))}"
        if pair is None or small is not pair[0] or big is not pair[1]:
            text += f" (at {big.label} ÷ at {small.label})"
        above = _above_floor_growth(name, small, big)
        if name != "queries" and above == above:
            text += f", {fmt_ratio(above)} above the `queries` floor"
        parts.append(text)
    if parts and pair:
        add(f"Time per triple at {pair[1].label} ÷ at {pair[0].label} (goal ≤ {TARGETS['growth']}×): "
            + "; ".join(parts) + ". `queries` reads no data, so its time per triple falls as the data grows; the "
            "start-up it shares with every command flatters the others' growth the same way, hence the same ratio "
            "on the time above that floor (the command's median minus the `queries` median at each size), given "
            "where that time is at least the floor itself at the smaller size (below, it is mostly noise).")
        add("")
    failed = [f"`{n}` at {r.label}: {st.note}" for r in runs for n, st in r.commands.items()
              if st.note.startswith(("did not", "failed"))]
    if failed:
        add("**Not every run completed:** " + "; ".join(failed) + ".")
        add("")
    violations = [r.label for r in runs if 1 in r.commands_rc.get("validate", [])]
    if violations:
        add(f"`validate` exited 1 (violations found) at {', '.join(violations)}: the synthetic data did not conform "
            "there. The check still ran in full, so its times stand.")
        add("")
    return out


def _commands_analysis(b: Bench) -> list[str]:
    """Closing notes on section 3: commands that did not complete, and growth above the goal.

    Only what this run measured: the times at both sizes and the floor. The cause of a command's
    growth is in its SPARQL, which the benchmark does not profile.
    """
    out: list[str] = []
    stuck = [f"`{n}` at {r.label} ({st.note})" for r in b.results for n, st in r.commands.items()
             if st.note.startswith(("did not", "failed"))]
    if stuck:
        out.append(f"- **Other commands that did not complete: {'; '.join(stuck)}.** A run is stopped after "
                   f"{b.command_timeout:.0f} s; a failure's error is under Notes.")
    pair = _growth_pair(b.results)
    if pair is None:
        return out
    small, big = pair
    for name in GROWTH_COMMANDS:
        x = _cmd_growth("commands", name, small, big)
        if x == x and x > TARGETS["growth"]:
            above = _above_floor_growth(name, small, big)
            out.append(
                f"- **`{name}` time per triple grows {fmt_ratio(x)} from {small.label} to {big.label} (goal ≤ "
                f"{TARGETS['growth']}×).** It takes {fmt_seconds(big.commands[name].median)} at {big.label} and "
                f"{fmt_seconds(small.commands[name].median)} at {small.label}, against "
                f"{fmt_seconds(big.commands['queries'].median)} for `queries`, which reads no data"
                + (f"; above that floor it grows {fmt_ratio(above)} per triple" if above == above else "")
                + ". This run measures the growth, not its cause.")
    return out


def _growth_pair(results: list[SizeResult]) -> tuple[SizeResult, SizeResult] | None:
    """The two sizes a growth check compares: 100k and 1M (the issue's) when both ran, else the two largest."""
    by_size = {r.requested: r for r in results}
    if 100_000 in by_size and 1_000_000 in by_size:
        return by_size[100_000], by_size[1_000_000]
    return (results[-2], results[-1]) if len(results) >= 2 else None


def _finished(stat: Stat) -> bool:
    """Every run of a command finished (none stopped, failed or skipped)."""
    return stat.ok and not stat.note


def _cmd_growth(attr: str, name: str, small: SizeResult, big: SizeResult) -> float:
    """Time per triple of command ``name`` at ``big`` ÷ at ``small``, from ``SizeResult.<attr>``.

    NaN unless the command finished at both sizes.
    """
    a, c = getattr(big, attr).get(name, Stat()), getattr(small, attr).get(name, Stat())
    if not (_finished(a) and _finished(c)):
        return float("nan")
    x, y = _per_triple(a, big.triples), _per_triple(c, small.triples)
    return x / y if y else float("nan")


def _above_floor(r: SizeResult, name: str) -> float:
    """Median seconds of command ``name`` at ``r`` minus the ``queries`` floor's (NaN unless both finished)."""
    st, floor = r.commands.get(name, Stat()), r.commands.get("queries", Stat())
    return st.median - floor.median if _finished(st) and _finished(floor) else float("nan")


def _above_floor_growth(name: str, small: SizeResult, big: SizeResult) -> float:
    """Like ``_cmd_growth`` on the time above the ``queries`` floor: what the command spends on the data.

    A fixed start-up of a tenth of a second dominates at small sizes and makes any growth look
    gentler than it is; subtracting the floor measured at the same size takes it out. NaN when the
    command spends less time above the floor than the floor itself at the smaller size: there the
    difference is mostly the noise of two start-ups.
    """
    x, y = _above_floor(big, name), _above_floor(small, name)
    if not (x == x and y == y) or x <= 0 or y < small.commands["queries"].median:
        return float("nan")
    return (x / big.triples) / (y / small.triples)


def _second(item: tuple[Any, Any]) -> Any:
    return item[1]


def _slow_query_causes(big: SizeResult, slow: dict[str, float]) -> str:
    """Where the time of the queries below the rdflib goal goes, from the same run's extra engines."""
    sort_share, unordered_speed, memory_speed = {}, {}, {}
    for q in slow:
        s = big.inproc[q]
        if "pyoxigraph-unordered" in s and s["pyoxigraph-unordered"].ok:
            sort_share[q] = 1 - s["pyoxigraph-unordered"].median / s["pyoxigraph"].median
            unordered_speed[q] = ratio(s["rdflib"], s["pyoxigraph-unordered"])
        if "pyoxigraph-memory" in s and s["pyoxigraph-memory"].ok:
            memory_speed[q] = ratio(s["rdflib"], s["pyoxigraph-memory"])
    text = ""
    if sort_share:
        text += (" Sorting is much of it: on the disk store the final ORDER BY takes "
                 + ", ".join(f"{q} {share:.0%}" for q, share in sort_share.items())
                 + " of the query's time (Oxigraph compares terms by their strings, which it reads back from "
                 "RocksDB for every comparison); without it the speed-up over rdflib would be "
                 + ", ".join(f"{q} {fmt_ratio(v)}" for q, v in unordered_speed.items()) + ".")
    if memory_speed:
        text += (" In memory (`ssegraph.load(memory=True)`, for a notebook that asks many questions) the same "
                 "texts run "
                 + ", ".join(f"{q} {fmt_ratio(v)}" for q, v in memory_speed.items()) + " faster than rdflib.")
    return text


def _catalogue_pass(r: SizeResult) -> tuple[float, float]:
    """Seconds of one pass over the named queries, raw pyoxigraph on the optimized and unoptimized store."""
    opt = sum(s["pyoxigraph"].median for s in r.inproc.values() if s["pyoxigraph"].ok)
    unopt = sum(s["pyoxigraph-unoptimized"].median for s in r.inproc.values()
                if "pyoxigraph-unoptimized" in s and s["pyoxigraph-unoptimized"].ok)
    return opt, unopt


def _build_gap(r: SizeResult) -> str:
    """Why ssegraph's build takes longer than a bare bulk load, split into its two measured parts.

    ssegraph builds exactly the store of *pyoxigraph + optimize*, so the gap over the bare bulk
    load is ``optimize()`` (pyoxigraph + optimize against pyoxigraph) plus ssegraph's own work
    (ssegraph against pyoxigraph + optimize: hashing the inputs, the lock, the rename). Both are
    read off this run's medians, on wall-clock and CPU time.
    """
    build, raw, opt = r.build["ssegraph"], r.build["pyoxigraph"], r.build["pyoxigraph-optimized"]
    cpu = r.build_cpu
    gap, opt_s, own_s = build.median - raw.median, opt.median - raw.median, build.median - opt.median
    opt_x, opt_c = ratio(opt, raw), ratio(cpu["pyoxigraph-optimized"], cpu["pyoxigraph"])
    own_x, own_c = ratio(build, opt), ratio(cpu["ssegraph"], cpu["pyoxigraph-optimized"])

    def share(part: float) -> str:
        return f", {part / gap * 100:.0f} % of the gap" if gap > 0 and 0 <= part <= gap else ""

    text = (f"ssegraph builds exactly the store of *pyoxigraph + optimize* (every file bulk-loaded into the default "
            f"graph, then `flush()` + `optimize()`), so its gap of {fmt_seconds(gap)} over the bare bulk load "
            f"splits in two. `optimize()` costs {fmt_seconds(opt_s)}{share(opt_s)} (pyoxigraph + optimize takes "
            f"{fmt_ratio(opt_x)} the bulk load, {fmt_ratio(opt_c)} on CPU time). ssegraph's own work (hashing the "
            f"inputs, the lock, the rename into place) costs {fmt_seconds(own_s)}{share(own_s)} (ssegraph takes "
            f"{fmt_ratio(own_x)} the time of pyoxigraph + optimize, {fmt_ratio(own_c)} on CPU time)")
    text += ": within the noise between runs." if max(own_x, own_c) <= 1.05 else "."
    once, unopt = _catalogue_pass(r)
    if once and unopt and opt_s > 0:
        if unopt > once:
            text += (f" `optimize()` is kept because the queries need it: one pass over the named queries takes "
                     f"{fmt_seconds(once)} on the optimized store and {fmt_seconds(unopt)} without it (section 4), so "
                     f"it pays for itself after {opt_s / (unopt - once):.1f} such passes.")
        else:
            text += (f" In this run the named queries were not faster for it (one pass {fmt_seconds(once)} optimized, "
                     f"{fmt_seconds(unopt)} not, section 4).")
    without = (build.median - opt_s) / raw.median if raw.ok and raw.median else float("nan")
    if without == without and without <= TARGETS["build_vs_raw"] < ratio(build, raw):
        text += (f" Without `optimize()` the build would take about {fmt_ratio(without)} the bulk load, within the "
                 "goal: what misses it is the compaction, not ssegraph's own work.")
    return text


def analysis(b: Bench) -> list[str]:
    """The closing notes: for each missed target, the measured gap and its cause.

    The causes were found by profiling (``python -X importtime``, per-phase timings of the
    build, query plans) and each is backed by a column of this same report: the same store built
    by raw pyoxigraph (bulk load + optimize), the start-up floor, the store without ``optimize()``.
    """
    if not b.results:
        return []
    big = b.results[-1]
    out: list[str] = []
    for r in b.results:  # every size that misses, not only the largest
        x = ratio(r.build["ssegraph"], r.build["pyoxigraph"])
        if x == x and x > TARGETS["build_vs_raw"]:
            out.append(f"- **Store build, {fmt_ratio(x)} raw pyoxigraph at {r.label} "
                       f"(goal ≤ {TARGETS['build_vs_raw']}×).** {_build_gap(r)}")
    lost = [r.label for r in b.results if ratio(r.build["rdflib"], r.build["ssegraph"]) < 1]
    for r in b.results:
        build, raw, opt = r.build["ssegraph"], r.build["pyoxigraph"], r.build["pyoxigraph-optimized"]
        x = ratio(r.build["rdflib"], build)
        if not (x == x and x < TARGETS["build_vs_rdflib"]):
            continue
        goal = TARGETS["build_vs_rdflib"]
        raw_x, opt_x = ratio(r.build["rdflib"], raw), ratio(r.build["rdflib"], opt)
        if raw_x < goal:
            cause = ("so even the bare bulk load misses the goal here: creating and compacting a RocksDB store has a "
                     "fixed cost that a small input does not amortise")
        elif opt_x < goal:
            cause = "so `optimize()` is what brings ssegraph below the goal"
        else:
            cause = "so ssegraph's own work (hashing the inputs, the rename) is what brings it below the goal"
        small = (" rdflib's in-memory parse wins outright there." if r.label in lost else "")
        out.append(
            f"- **Store build speed-up over rdflib, {fmt_ratio(x)} at {r.label} (goal ≥ {goal}×).** Raw "
            f"pyoxigraph's bulk load is {fmt_ratio(raw_x)} rdflib's speed and the same plus `optimize()` "
            f"{fmt_ratio(opt_x)}, {cause}.{small} Unlike rdflib's graph, the store is built once and reopened in "
            "milliseconds by every later command.")
    ratios = {q: ratio(s["ssegraph"], s["pyoxigraph"]) for q, s in big.process.items()}
    missed = {q: v for q, v in ratios.items() if v > TARGETS["process_vs_minimal"]}
    if missed:
        gaps = {q: big.process[q]["ssegraph"].median - big.process[q]["pyoxigraph"].median for q in big.process}
        fewest = min(gaps, key=lambda q: big.rows.get(q, {}).get("pyoxigraph") or 0)
        fixed = gaps[fewest]
        floor = ""
        if b.startup:
            vals = [st.median for st in b.startup.values()]
            click_ms, rest_ms = (vals[2] - vals[1]) * 1000, (vals[3] - vals[2]) * 1000
            fixed = vals[3] - vals[1]
            floor = (f" That is the start-up floor measured in section 2: importing click costs {click_ms:.0f} ms, "
                     f"and the standard-library modules ssegraph uses plus its own {rest_ms:.0f} ms (logging, "
                     "pathlib, dataclasses, json and the catalogue's regular expressions are the bulk), where the "
                     "minimal script imports only pyoxigraph.")
        out.append(
            f"- **Whole query process, {len(missed)} of {len(ratios)} queries above {TARGETS['process_vs_minimal']}× "
            f"the minimal script at {big.label}** (worst {fmt_ratio(max(missed.values()))}, "
            f"{max(missed, key=lambda q: missed[q])}; median over the queries "
            f"{fmt_ratio(statistics.median(ratios.values()))}). On the query with the fewest rows ({fewest}) "
            f"ssegraph's process takes {fmt_seconds(gaps[fewest])} longer.{floor} After start-up, finding the "
            "cached store (no hashing at all), opening it read-only and running the query cost what they cost in "
            "the script; what grows with the result is writing it: ssegraph writes CSV with Python's csv module, "
            "because pyoxigraph 0.5's CSV serializer leaves IRIs that contain a comma unquoted. No heavy library "
            "(rdflib, networkx, pyvis, pandas, pyshacl) is imported. With click at the front, the goal can hold "
            f"only for queries that take more than about {fixed / (TARGETS['process_vs_minimal'] - 1) * 1000:.0f} ms.")
    out.extend(_commands_analysis(b))
    ratios = {q: ratio(s["ssegraph"], s["pyoxigraph"]) for q, s in big.inproc.items()}
    missed = {q: v for q, v in ratios.items() if v > TARGETS["inproc_vs_raw"]}
    if missed:
        tiny = {q: v for q, v in missed.items() if big.inproc[q]["pyoxigraph"].median < 0.002}
        rowful = {q: v for q, v in missed.items() if q not in tiny}
        parts = []
        if tiny:
            gap = statistics.median(big.inproc[q]["ssegraph"].median - big.inproc[q]["pyoxigraph"].median
                                    for q in tiny)
            parts.append(
                f"{', '.join(f'{q} {fmt_ratio(v)}' for q, v in tiny.items())}: under 2 ms a query, where "
                f"ssegraph's fixed cost per call ({fmt_seconds(max(gap, 0.0))}: checking the `.rq` file is "
                "unchanged, resolving and binding the parameters in a `VALUES` block, wrapping and writing the "
                "result; parsed files and prepared texts are remembered) shows")
        if rowful:
            listed = ", ".join(f"{q} {fmt_ratio(v)} ({big.rows[q].get('ssegraph')} rows)" for q, v in rowful.items())
            parts.append(f"{listed} spend the difference writing their rows with Python's csv module instead of "
                         "Oxigraph's serializer (see above)")
        measurable = [v for q, v in ratios.items() if big.inproc[q]["pyoxigraph"].median >= 0.005]
        rest = (f" Every query that takes 5 ms or more is within {fmt_ratio(max(measurable))} of raw pyoxigraph."
                if measurable else "")
        out.append(
            f"- **Named queries in-process, {len(missed)} of {len(ratios)} above {TARGETS['inproc_vs_raw']}× raw "
            f"pyoxigraph at {big.label}.** " + "; ".join(parts) + "." + rest)
    speed = {q: ratio(s["rdflib"], s["ssegraph"]) for q, s in big.inproc.items() if "rdflib" in s and s["rdflib"].ok}
    slow = {q: v for q, v in speed.items() if v < TARGETS["inproc_vs_rdflib"]}
    if slow:
        own = max(ratio(big.inproc[q]["ssegraph"], big.inproc[q]["pyoxigraph"]) for q in slow)
        many = {q: n for q in slow if (n := big.rows.get(q, {}).get("ssegraph") or 0) >= 10_000}
        text = (f"- **Named queries against rdflib, {len(slow)} of {len(speed)} below {TARGETS['inproc_vs_rdflib']}× "
                f"at {big.label}** ({', '.join(f'{q} {fmt_ratio(v)}' for q, v in sorted(slow.items(), key=_second))})"
                f". Not ssegraph's overhead: on these queries it takes at most {fmt_ratio(own)} raw pyoxigraph's "
                "time; it is the engine's, on a disk store." + _slow_query_causes(big, slow))
        if many:
            text += " " + ", ".join(f"{q} also writes {n:,} rows" for q, n in many.items()) + "."
        out.append(text)
    if len(b.results) >= 2:
        small = b.results[-2]
        a = _per_triple(big.build["ssegraph"], big.triples) / _per_triple(small.build["ssegraph"], small.triples)
        r = _per_triple(big.build["pyoxigraph"], big.triples) / _per_triple(small.build["pyoxigraph"], small.triples)
        if a == a and a > TARGETS["growth"]:
            out.append(
                f"- **Build time per triple grows {fmt_ratio(a)} from {small.label} to {big.label} (goal ≤ "
                f"{TARGETS['growth']}×).** Raw pyoxigraph's own bulk load grows {fmt_ratio(r)} over the same step on "
                f"this machine (sorting and indexing batches that no longer fit in the CPU caches, on "
                f"{os.cpu_count()} shared cores); ssegraph adds no per-triple work of its own.")
        e_big, e_small = big.export, small.export
        if e_big and e_small:
            def per(stat: Stat, r: SizeResult) -> float:
                return _per_triple(stat, r.triples)

            total = per(e_big["total"], big) / per(e_small["total"], small)
            if total == total and total > TARGETS["growth"]:
                proj = per(e_big["project"], big) / per(e_small["project"], small)
                write = per(e_big["write"], big) / per(e_small["write"], small)
                nxw = per(e_big["nx_write"], big) / per(e_small["nx_write"], small)
                out.append(
                    f"- **Projection + GraphML export per triple grows {fmt_ratio(total)} from {small.label} to "
                    f"{big.label} (goal ≤ {TARGETS['growth']}×).** The projection grows {fmt_ratio(proj)} and the "
                    f"GraphML writer {fmt_ratio(write)}; networkx's own writer grows {fmt_ratio(nxw)} on the same "
                    "graphs: the rest is the cost of ever larger Python dictionaries and of the SPARQL answers "
                    "that feed them (the projection already pauses the cyclic garbage collector while it builds "
                    "the graph, which took 20–25% off at 1M).")
    return out


def to_json(b: Bench) -> dict[str, Any]:
    def conv(x: Any) -> Any:
        if isinstance(x, Stat):
            return x.to_json()
        if isinstance(x, dict):
            return {k: conv(v) for k, v in x.items()}
        if isinstance(x, list):
            return [conv(v) for v in x]
        return x

    return {"machine": _machine(), "versions": _versions(), "started": b.started, "repeats": b.repeats,
            "sizes": [conv(vars(r)) for r in b.results], "view": conv(b.view), "imports": b.imports,
            "commands": {"argv": OTHER_COMMANDS, "timeout": b.command_timeout, "validate_max": b.validate_max},
            "notes": b.notes}


# -- command line ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10k,100k,1M", help="Comma-separated triple counts (default: 10k,100k,1M).")
    p.add_argument("--repeats", type=int, default=5, help="Runs of every measurement (default: 5).")
    p.add_argument("--quick", action="store_true", help="Tiny sizes and one repeat, end to end in under a minute.")
    p.add_argument("-o", "--output", type=Path, default=HERE / "RESULTS.md", help="Markdown report to write.")
    p.add_argument("--json", type=Path, help="Also write every measurement as JSON here.")
    p.add_argument("--work", type=Path, help="Scratch folder (default: a new one in the temp dir, removed after).")
    p.add_argument("--keep", action="store_true", help="Keep the scratch folder.")
    p.add_argument("--rdflib-repeats", type=int, default=3, help="Runs of rdflib above 200k triples (default 3).")
    p.add_argument("--rdflib-query-max", default="1M", help="Largest size at which rdflib runs the named queries.")
    p.add_argument("--rdflib-timeout", type=float, default=300.0, help="Seconds before one rdflib query is stopped.")
    p.add_argument("--command-timeout", type=float, default=600.0,
                   help="Seconds before one run of stats, describe, queries or validate is stopped (default 600).")
    p.add_argument("--validate-max", default="1M", help="Largest size at which validate runs (default 1M).")
    p.add_argument("--view-nodes", type=int, default=2000, help="Nodes of the HTML view benchmark (default 2000).")
    p.add_argument("--seed", type=int, default=0, help="Seed of the synthetic data.")
    p.add_argument("--worker", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.worker:
        kind, spec = args.worker
        result = WORKERS[kind](json.loads(Path(spec).read_text()))
        sys.stdout.write(json.dumps(result) + "\n")
        return 0

    from ssegraph.synth import parse_count

    if args.quick:
        args.sizes, args.repeats, args.view_nodes = "1k,3k", 1, 200
        args.rdflib_timeout = min(args.rdflib_timeout, 30.0)
    sizes = [(s.strip(), parse_count(s.strip())) for s in args.sizes.split(",") if s.strip()]
    sizes.sort(key=lambda x: x[1])
    work = args.work or Path(tempfile.mkdtemp(prefix="ssegraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(sizes=sizes, repeats=max(1, args.repeats), work=work, quick=args.quick,
                  rdflib_repeats=max(1, args.rdflib_repeats), rdflib_query_max=parse_count(args.rdflib_query_max),
                  rdflib_timeout=args.rdflib_timeout, command_timeout=args.command_timeout,
                  validate_max=parse_count(args.validate_max), view_nodes=args.view_nodes, seed=args.seed)
    os.environ["SSEGRAPH_CACHE_DIR"] = str(work / "default-cache")  # nothing lands in ~/.cache
    BENCH_ENV["SSEGRAPH_CACHE_DIR"] = os.environ["SSEGRAPH_CACHE_DIR"]
    start_launcher()
    try:
        bench.run()
    finally:
        stop_launcher()
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = report(bench)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(to_json(bench), indent=1), encoding="utf-8")
    bench.log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
