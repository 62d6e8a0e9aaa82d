"""How the program starts: module, script, help on every command, no heavy imports."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ssegraph.cli import COMMANDS, cli

REPO = Path(__file__).parent.parent


def test_python_dash_m():
    r = subprocess.run([sys.executable, "-m", "ssegraph", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "Usage: ssegraph" in r.stdout


def test_installed_script():
    script = Path(sys.executable).parent / "ssegraph"
    r = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "0.1.0" in r.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name):
    from click.testing import CliRunner

    cmd = cli.get_command(None, name)
    assert cmd is not None, f"command {name} is listed but its module is missing"
    r = CliRunner().invoke(cli, [name, "--help"])
    assert r.exit_code == 0, r.output
    assert cmd.help and "Example" in cmd.help


def test_cli_import_and_query_path_stay_light():
    code = (
        "import sys; import ssegraph.cli; from ssegraph.cli import core;"
        "heavy = [m for m in ('rdflib', 'networkx', 'pyvis', 'pyshacl', 'pandas') if m in sys.modules];"
        "print(heavy)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr


@pytest.mark.slow
def test_wheel_ships_the_bundled_graph(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    wheel = next(tmp_path.glob("ssegraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    data = {Path(n).name for n in names if n.startswith("ssegraph/bundled/data/")}
    assert data == {p.name for p in (REPO / "data").glob("*.ttl")}
    assert "ssegraph/bundled/ontology/shapes.ttl" in names
    assert "ssegraph/bundled/ontology/kos/roles.ttl" in names
    assert any(n.startswith("ssegraph/queries/") and n.endswith(".rq") for n in names)
    assert {f"ssegraph/tables/{t}.rq" for t in ("milestones", "memberships", "sources")} <= set(names)
    assert "ssegraph/assets/CC0-1.0.txt" in names  # the licence a release ships
