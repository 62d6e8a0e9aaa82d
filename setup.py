"""Ship the repository's ``data/`` and ``ontology/`` inside the wheel.

The Turtle files live at the top of the repository, where curators edit them. A plain
``pip install .`` must still find the bundled graph, so the build copies both folders into
``ssegraph/bundled/`` of the built package. Editable installs read them in place.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "ssegraph" / "bundled"
        for folder in ("data", "ontology"):
            dest = target / folder
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(ROOT / folder, dest, ignore=shutil.ignore_patterns("*.md", ".*"))


setup(cmdclass={"build_py": BuildWithBundledData})
