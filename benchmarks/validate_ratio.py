"""``validate`` against building the store, on the same synthetic data, in the same run.

The target (issue 15): ``validate`` takes at most 4 times as long as building the store from the
Turtle files, at 300k triples (and report 1M). Both are timed in fresh processes, taking turns
round by round so that a busy machine slows both alike; the ratio of the medians is the figure.

    .venv/bin/python benchmarks/validate_ratio.py                  # 300k, 3 rounds
    .venv/bin/python benchmarks/validate_ratio.py --sizes 300k,1M --pyshacl-max 300k

``--pyshacl-max`` also times the reference engine (pySHACL over an rdflib copy of the whole
graph) up to that size, once: minutes, not needed for the target.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_BUILD = """
import json, sys, time
import pyoxigraph  # imported before the clock starts
import ssegraph
t = time.perf_counter()
ssegraph.load([sys.argv[1]], cache_dir=sys.argv[2])  # builds the store: the cache is empty
print(json.dumps({"seconds": time.perf_counter() - t}))
"""

_VALIDATE = """
import json, sys, time
from pathlib import Path
import pyoxigraph, pyshacl, rdflib  # imported before the clock starts
import ssegraph
kg = ssegraph.load([sys.argv[1]], cache_dir=sys.argv[2])
t = time.perf_counter()
report = kg.validate(engine=sys.argv[4])
print(json.dumps({"seconds": time.perf_counter() - t, "conforms": report.conforms,
                  "findings": len(report.findings), "triples": report.triples}))
"""


def parse_count(text: str) -> int:
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if mult > 1 else text) * mult)


def run(script: str, *args: str, timeout: float = 3600) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                         timeout=timeout, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="300k")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pyshacl-max", default="0", help="time the pySHACL engine up to this size (once)")
    args = ap.parse_args()
    from ssegraph.synth import write_synth

    ontology = ROOT / "ontology"
    work = Path(tempfile.mkdtemp(prefix="ssegraph-validate-"))
    try:
        for size in [parse_count(s) for s in args.sizes.split(",")]:
            data = work / f"synth-{size}"
            write_synth(data, size)
            builds, validates = [], []
            cache = work / f"cache-{size}"
            for _ in range(args.repeats):
                shutil.rmtree(cache, ignore_errors=True)
                builds.append(run(_BUILD, str(data), str(cache), str(ontology))["seconds"])
                result = run(_VALIDATE, str(data), str(cache), str(ontology), "store")
                validates.append(result["seconds"])
            b, v = statistics.median(builds), statistics.median(validates)
            line = (f"{size:>9,} triples: build {b:6.2f} s (min {min(builds):.2f}), validate {v:6.2f} s "
                    f"(min {min(validates):.2f}) -> ratio {v / b:4.2f} (target <= 4); "
                    f"conforms={result['conforms']} findings={result['findings']}")
            if size <= parse_count(args.pyshacl_max):
                ref = run(_VALIDATE, str(data), str(cache), str(ontology), "pyshacl", timeout=7200)
                line += f"; pySHACL engine {ref['seconds']:.1f} s (ratio {ref['seconds'] / b:.1f})"
            print(line, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
