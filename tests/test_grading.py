"""The grader against a hostile class: every attack of issue 15 is tried, and each test
asserts that the attack fails (scores, files and processes are what they would be without
it) AND that it is reported. Also: a mixed folder of all seven sets, each graded as
itself; nbformat 3; parallel results equal to serial ones; the results.jsonl contract;
the regrade cache.

One class is graded once (module fixture) with a short time limit, so the file stays
well under two minutes on two cores.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import secrets
from pathlib import Path

import nbformat
import pytest

from kabulcase import checks
from kabulcase import release as rel
from kabulcase.grade import formula_safe, grade_folder
from kabulcase.grading import hidden

from support import EXERCISES, REPO

TIMEOUT = 20
SOURCES = {rel.exercise_id(p): p for p in sorted(EXERCISES.glob("ex0*.md"))}
FORMULA = '=HYPERLINK("x","click")'  # a file name: no slash
ORPHAN = f"kabulcase-orphan-{secrets.token_hex(6)}"
CORE = REPO / "kabulcase" / "checks" / "core.py"
SECRETS = [REPO / "exercises" / "ex02-power.md", REPO / "grading" / "hidden" / "ex02.py"]


def _full(ex: str) -> nbformat.NotebookNode:
    return rel.instructor_notebook(SOURCES[ex])


def _blank() -> nbformat.NotebookNode:
    return rel.student_notebook(SOURCES["ex02"])


def _plus(nb, *sources: str) -> nbformat.NotebookNode:
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    instructor_copy = tmp_path_factory.mktemp("release") / "instructor-ex02.ipynb"
    nbformat.write(_full("ex02"), instructor_copy)
    victim = folder / "ex02-full.ipynb"
    notebooks = {f"{ex}-full": _full(ex) for ex in SOURCES}  # the mixed folder: seven sets
    notebooks |= {
        # one cell per attack, so each failure is reported on its own line
        "vandal": _plus(_blank(),
                        f"import os\nos.remove({str(victim)!r})",
                        f"open({str(victim)!r}, 'w').write('{{}}')",
                        f"open({str(CORE)!r}, 'a').write('\\nQUESTIONS.clear()\\n')",
                        *[f"print(open({str(p)!r}).read()[:100])" for p in SECRETS + [instructor_copy]],
                        "from kabulcase.checks import expected\ngap_2023 = expected('ex02.q1a')",
                        "import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=3)"),
        # the two attacks of the issue: a stdlib function the export uses, and an import hook
        "wrapper": _plus(_blank(), "import json\njson.dumps = lambda *a, **k: "
                                   "'{\"values\": {\"gap_2023\": 99}, \"calls\": 1}'"),
        "importhook": _plus(_blank(), """
import sys, importlib.abc
class Doctor(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        return None
sys.meta_path.insert(0, Doctor())
import kabulcase.checks as c
c.check = lambda *a, **k: None
"""),
        "memory": _plus(_full("ex02"), "hog = bytearray(3 * 1024 ** 3)"),
        "orphan": _plus(_blank(), "import subprocess\nsubprocess.Popen(['/bin/sh', '-c', "
                                  f"'sleep 300; : {ORPHAN}'], start_new_session=True)"),
        "exit0": _plus(_full("ex02"), "import os\nos._exit(0)"),
        "sigkill": _plus(_full("ex02"), "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
        "sigint": _plus(_full("ex02"), "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                       "while True:\n    time.sleep(0.05)"),
        FORMULA: _blank(),
        "anonymous": nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]),
        "zblank": _blank(),  # graded after the vandal (sorted): must still score 0
    }
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    v3 = nbformat.convert(_full("ex02"), 3)
    (folder / "old-format.ipynb").write_text(nbformat.writes(v3, version=3), encoding="utf-8")
    before = {p.name: _sha(p) for p in folder.iterdir()}
    core_before = _sha(CORE)
    out = tmp_path_factory.mktemp("graded")
    lines: list[str] = []
    results, _ = grade_folder(folder, out, timeout=TIMEOUT, jobs=2, echo=lines.append)
    print("\n[grade] " + "\n[grade] ".join(lines))
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return {"folder": folder, "out": out, "before": before, "core_before": core_before,
            "by": {r["file"]: r for r in records}, "records": records, "results": results}


def _max(ex: str) -> float:
    return float(sum(q.max_score + sum(h.max_score for h in q.hidden)
                     for q in checks.questions(ex) if isinstance(q, checks.Question)))


def test_a_mixed_folder_grades_every_set_as_itself(hostile):
    for ex in SOURCES:
        rec = hostile["by"][f"{ex}-full.ipynb"]
        # instructor copies pass every check (test_release_grade and the exercise tests
        # run them), so each must get the full score of its own set
        assert rec["set"] == ex and rec["status"] == "ok", rec
        assert rec["total"] == rec["max_total"] == _max(ex), rec
    with open(hostile["out"] / "grades.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["set"] for r in rows} == set(SOURCES) | {""}  # "" for the unidentified notebook
    assert (hostile["out"] / "grades-ex05.csv").exists()


def test_a_notebook_that_names_no_set_is_refused_clearly(hostile):
    rec = hostile["by"]["anonymous.ipynb"]
    assert rec["status"] == "unidentified" and rec["set"] == "" and rec["questions"] == []
    assert any("--exercise exNN" in p for p in rec["problems"])


def test_no_submission_can_touch_a_classmate_the_package_or_the_key(hostile):
    folder = hostile["folder"]
    assert {p.name: _sha(p) for p in folder.iterdir()} == hostile["before"]
    assert _sha(CORE) == hostile["core_before"]
    assert all(p.exists() for p in SECRETS)
    vandal = hostile["by"]["vandal.ipynb"]
    assert vandal["total"] == 0 and "error" in vandal["status"]
    text = " ".join(vandal["problems"])
    assert text.count("FileNotFoundError") >= 4  # the classmate, and each secret file: not there
    assert "Read-only file system" in text or "PermissionError" in text  # core.py
    assert "cannot import name 'expected'" in text  # the answer key is not in the sandbox
    assert "Network is unreachable" in text
    assert hostile["by"]["ex02-full.ipynb"]["total"] == _max("ex02")
    assert hostile["by"]["zblank.ipynb"]["total"] == 0


def test_doctoring_the_kernel_gains_nothing_and_is_reported(hostile):
    wrapper, hook = hostile["by"]["wrapper.ipynb"], hostile["by"]["importhook.ipynb"]
    assert wrapper["total"] == 0 and "export-failed" in wrapper["status"], wrapper
    assert any("json" in p for p in wrapper["problems"])
    assert hook["total"] == 0 and "tampered" in hook["status"], hook
    assert any("import hook" in p for p in hook["problems"])
    assert any("kabulcase.checks.check" in p for p in hook["problems"])


def test_limits_are_reported_and_earlier_answers_still_count(hostile):
    full = _max("ex02")
    for name, status in [("memory", "memory"), ("exit0", "crashed"), ("sigkill", "crashed"),
                         ("sigint", "timeout")]:
        rec = hostile["by"][f"{name}.ipynb"]
        assert status in rec["status"].split("+"), rec
        assert rec["total"] == full, rec
    assert hostile["by"]["sigint.ipynb"]["seconds"] < TIMEOUT + 25  # killed from outside


def test_a_setsid_child_dies_with_the_sandbox_and_is_reported(hostile):
    rec = hostile["by"]["orphan.ipynb"]
    assert "processes" in rec["status"], rec
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if ORPHAN.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                alive.append(pid)
        except OSError:
            pass
    assert not alive


def test_formula_injection_is_escaped_in_the_csv(hostile):
    with open(hostile["out"] / "grades.csv", newline="") as fh:
        students = [r["student"] for r in csv.DictReader(fh)]
    assert "'" + FORMULA in students and FORMULA not in students
    assert hostile["by"][f"{FORMULA}.ipynb"]["student"] == FORMULA  # the record keeps the id as it is
    assert [formula_safe(s) for s in ("+1", "-1", "@a", "\tx", "\rx", "ok")] == \
        ["'+1", "'-1", "'@a", "'\tx", "'\rx", "ok"]


def test_an_nbformat_3_notebook_is_accepted(hostile):
    rec = hostile["by"]["old-format.ipynb"]
    assert rec["status"] == "ok" and rec["total"] == _max("ex02"), rec


def test_results_jsonl_keeps_the_contract(hostile):
    keys = {"student", "set", "file", "sha256", "submitted_at", "graded_at", "status", "problems",
            "questions", "total", "max_total", "seconds"}
    assert len(hostile["records"]) == len(hostile["before"])
    for rec in hostile["records"]:
        assert set(rec) == keys
        assert rec["sha256"] == hostile["before"][rec["file"]]
        assert rec["submitted_at"] and rec["graded_at"]
        for q in rec["questions"]:
            assert set(q) == {"key", "kind", "score", "max_score", "feedback", "answer_text"}
            assert "." not in q["key"] and q["kind"] in ("code", "written")
            assert (q["score"] is None) == (q["kind"] == "written")
            assert (q["answer_text"] is None) == (q["kind"] == "code")


def test_hidden_checks_are_outside_the_package_and_an_instructor_can_add_more(tmp_path):
    import tomllib
    conf = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert conf["tool"]["setuptools"]["packages"]["find"]["include"] == ["kabulcase*"]
    assert not any("_hidden(" in p.read_text() for p in (REPO / "kabulcase" / "checks").glob("ex*.py"))
    assert hidden.REPO_HIDDEN == REPO / "grading" / "hidden"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "ex06_extra.py").write_text(
        "from kabulcase.checks.core import _hidden\n"
        "@_hidden('ex06.q3b', 'advantage', 1, 'advantage is positive for 6 hours')\n"
        "def extra(fn):\n    got = fn(6)\n    return (1 if got > 0 else 0), [], [], None\n")
    before = len(checks.QUESTIONS["ex06.q3b"].hidden)
    try:
        hidden.load([mine])
        assert len(checks.QUESTIONS["ex06.q3b"].hidden) == before + 1
        blobs, counts = hidden.plan("ex06")
        assert counts["ex06.q3b.hidden2"] == 1
    finally:
        q = checks.QUESTIONS["ex06.q3b"]
        checks.QUESTIONS["ex06.q3b"] = type(q)(*[getattr(q, f) for f in q.__dataclass_fields__
                                                   if f != "hidden"], hidden=q.hidden[:before])
    with pytest.raises(FileNotFoundError, match="KABULCASE_HIDDEN"):
        hidden.folders([tmp_path / "missing"])


def _export_here(**values) -> str:
    """The kernel's exporter run in this process on ``values`` (it is plain code, with no
    student code involved), returning the JSON it would print."""
    import io
    import sys as _sys
    from kabulcase.grading import runner
    ns: dict = {}
    exec(compile(runner.EXPORT_SOURCE, "kernel_export", "exec"), ns)
    main = _sys.modules["__main__"].__dict__
    saved = {k: main.get(k) for k in values}
    main.update(values)
    out, old = io.StringIO(), _sys.stdout
    _sys.stdout = out
    try:
        ns["__kabulcase_export"]("M:", list(values), {})
    finally:
        _sys.stdout = old
        for k, v in saved.items():
            main.pop(k) if v is None else main.__setitem__(k, v)
    return out.getvalue().strip()[2:]


def test_exported_answers_cross_as_the_same_values():
    import math

    import numpy as np
    import pandas as pd
    from kabulcase.grading import scoring
    from kabulcase.models.rights import Assessment
    df = pd.DataFrame({"city": ["Kabul", "Herat"], "n": [850, 62000], "share": [0.5, math.nan]})
    values = {"a": 3, "b": float("nan"), "c": (1, "x"), "d": {"k": [1, 2]}, "e": {3, 4},
              "f": pd.Series([1.5, 2.5], index=["x", "y"], name="s"), "g": df,
              "h": df.set_index("city")["n"], "i": np.int64(7), "j": ..., "k": None,
              "m": Assessment("t", "me", "cams", [])}
    ns, _, problems = scoring.answers([_export_here(**values)])
    assert not problems
    assert ns["a"] == 3 and math.isnan(ns["b"]) and ns["c"] == (1, "x") and ns["d"] == {"k": [1, 2]}
    assert ns["e"] == {3, 4} and ns["i"] == 7 and ns["j"] is Ellipsis and ns["k"] is None
    pd.testing.assert_series_equal(ns["f"], values["f"])
    pd.testing.assert_frame_equal(ns["g"], df, check_dtype=False)
    assert isinstance(ns["g"].index, pd.RangeIndex) and pd.api.types.is_numeric_dtype(ns["g"]["n"])
    assert ns["h"].to_dict() == {"Kabul": 850, "Herat": 62000} and ns["h"].index.name == "city"
    assert isinstance(ns["m"], Assessment) and ns["m"].subject == "cams"


def test_exported_data_is_parsed_defensively():
    from kabulcase.grading import wire
    with pytest.raises(wire.WireError, match="limit"):
        wire.parse_line("x" * (wire.MAX_LINE + 1))
    with pytest.raises(wire.WireError, match="shape"):
        wire.parse_line("[1, 2]")
    with pytest.raises(wire.WireError, match="unknown tag"):
        wire.decode({"t": "pickle", "v": "gASVAAAAAAAAAAA="})
    deep = {"t": "list", "v": []}
    for _ in range(40):
        deep = {"t": "list", "v": [deep]}
    with pytest.raises(wire.WireError, match="deeply"):
        wire.decode(deep)
    # a class the notebook defined is never rebuilt, only named
    got = wire.decode({"t": "dataclass", "module": "__main__", "name": "Evil", "fields": []})
    assert isinstance(got, wire.Opaque) and got.type_name == "Evil"
    got = wire.decode({"t": "dataclass", "module": "os", "name": "system", "fields": []})
    assert isinstance(got, wire.Opaque)
