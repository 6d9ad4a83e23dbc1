"""The promises of the README and the issue: pinned requirements, one CI command, a
publishing workflow that uses the newcomer's command, valid citation metadata."""

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def test_every_requirement_is_pinned_exactly():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if not line or line.startswith("-r ") or line == "-e .":
                continue
            assert re.fullmatch(r"[A-Za-z0-9_.\[\]-]+==[\w.]+", line), f"{name}: {line!r} is not pinned with =="


def test_ci_runs_make_test_and_nothing_else():
    commands = [l.strip() for l in (REPO / ".ci" / "run").read_text().splitlines()
                if l.strip() and not l.strip().startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]


def test_pages_workflow_builds_with_make_book_and_publishes_the_html():
    wf = yaml.safe_load((REPO / ".github" / "workflows" / "book.yml").read_text())
    steps = wf["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any(r.startswith("make book") for r in runs)
    upload = [s for s in steps if "upload-pages-artifact" in s.get("uses", "")]
    assert upload and upload[0]["with"]["path"] == "_build/html"
    assert any("deploy-pages" in s.get("uses", "") for s in wf["jobs"]["deploy"]["steps"])


def test_citation_metadata_is_valid_cff():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert cff["cff-version"].startswith("1.2")
    for key in ("title", "version", "authors", "message"):
        assert cff.get(key), key


def test_readme_gives_the_two_commands():
    text = (REPO / "README.md").read_text()
    assert "make book" in text and "make test" in text
