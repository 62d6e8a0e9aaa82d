"""``ssegraph site``: the static site as a whole (folder handling, index, paths).

Each section has its own tests: tests/test_site_entities.py, tests/test_site_lists.py,
tests/test_site_gallery.py, tests/test_site_browser.py.
"""

from __future__ import annotations

import pytest

from _cli import one_error_line
from ssegraph import model
from ssegraph.site import build_site, page_path
from ssegraph.site.context import entity_index


@pytest.fixture(scope="module")
def site(kg, tmp_path_factory):
    """The site of the bundled data, built once for this module."""
    out = tmp_path_factory.mktemp("site") / "site"
    report = build_site(kg, out)
    return out, report


def test_site_command_writes_an_index_and_refuses_a_non_empty_folder(run, tmp_path):
    out = tmp_path / "s"
    result = run("site", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / "index.html").is_file() and (out / "assets" / "site.css").is_file()
    assert "wrote the site" in result.stderr
    line = one_error_line(run("site", "-o", str(out)))
    assert "not empty" in line and "--force" in line
    assert run("site", "-o", str(out), "--force").exit_code == 0


def test_failed_build_leaves_the_old_site_in_place(kg, tmp_path, monkeypatch):
    out = tmp_path / "s"
    out.mkdir()
    (out / "keep.txt").write_text("old")
    from ssegraph.site import build as build_module

    def boom(ctx):
        raise RuntimeError("stop")

    monkeypatch.setattr(build_module, "_sections", lambda: [("boom", boom)])
    with pytest.raises(RuntimeError):
        build_site(kg, out, force=True)
    assert (out / "keep.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["s"]  # no temporary folder left behind


def test_index_holds_every_entity_of_the_page_kinds(kg):
    index = entity_index(kg)
    kinds = {ref.kind.key for ref in index.values()}
    assert kinds == {k.key for k in model.PAGE_KINDS}
    ilo = index["https://w3id.org/ssegraph/id/ilo"]
    assert ilo.kind.key == "organisation" and ilo.short == "ILO" and ilo.path == "id/ilo.html"
    fra = index["http://publications.europa.eu/resource/authority/country/FRA"]
    assert fra.kind.key == "jurisdiction" and fra.label == "France" and fra.path == "country/FRA.html"


def test_page_paths_are_unique_and_stay_inside_the_site(kg):
    paths = [ref.path for ref in entity_index(kg).values()]
    assert len(paths) == len(set(paths))
    for p in paths:
        assert ".." not in p and not p.startswith("/") and p.endswith(".html")
    sneaky = page_path("https://w3id.org/ssegraph/id/a/../../etc")
    assert sneaky.startswith("id/") and ".." not in sneaky and sneaky.count("/") == 1


def test_every_page_has_a_csp_and_the_shared_style_sheet(site):
    out, report = site
    assert report.pages >= report.entities
    entity_pages = sorted(p.relative_to(out).as_posix() for p in (out / "id").glob("*.html"))
    assert len(entity_pages) > 100
    for path in ["index.html", *entity_pages[:20]]:
        html = (out / path).read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, path


def test_ctrl_c_during_a_build_leaves_the_old_site_and_no_temporary_folder(cache_dir, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "s"
    out.mkdir()
    (out / "keep.txt").write_text("old")
    proc = subprocess.Popen([sys.executable, "-m", "ssegraph", "--cache-dir", str(cache_dir), "site", "-o", str(out),
                             "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()) and proc.poll() is None:
        assert time.monotonic() < deadline, "the build never started"
        time.sleep(0.02)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert (out / "keep.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["s"]
