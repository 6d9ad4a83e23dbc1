"""Grading records -> Canvas, Moodle and Gradescope import files, and the manual-marking
round trip, on hand-written records (the grader's results.jsonl contract)."""

from __future__ import annotations

import csv
import json

import pytest

from kabulcase import checks
from kabulcase.instructor import lms, marking
from kabulcase.instructor.results import ResultsError, read_results, safe_text, write_results

HOSTILE = '=HYPERLINK("http://example.invalid/x","click")'


def _q(key, kind, score, max_score, answer=None):
    return {"key": key, "kind": kind, "score": score, "max_score": max_score,
            "feedback": "", "answer_text": answer}


def _record(student, exercise="ex02", graded_at="2026-12-01T10:00:00+00:00", code=(1.0, 2.0),
            answer="The grid share cited by dabs-2023 is 38 percent, a minority.", **extra):
    qs = [_q("q1a", "code", code[0], 1.0), _q("q1b", "code", code[1], 2.0),
          _q("q3d", "written", None, 9.0, answer), _q("q4", "written", None, 12.0, None)]
    rec = {"student": student, "set": exercise, "file": f"{student}.ipynb", "sha256": "ab" * 32,
           "submitted_at": "2026-11-30T23:59:00+00:00", "graded_at": graded_at, "status": "ok",
           "problems": [], "questions": qs, "total": sum(code), "max_total": 3.0, "seconds": 4.2}
    rec.update(extra)
    return rec


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def results(tmp_path):
    return _write(tmp_path / "results.jsonl", [
        _record("amina", code=(1.0, 2.0)),
        _record("bashir", code=(0.0, 1.5)),
        _record(HOSTILE, code=(1.0, 0.0)),
        # a regrade of bashir, later: this one counts
        _record("bashir", code=(1.0, 1.5), graded_at="2026-12-02T09:00:00+00:00"),
    ])


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "name", "email", "canvas_user_id", "sis_user_id", "sis_login_id", "section"])
        w.writerow(["amina", "Student A", "a@example.org", "101", "S-1", "a1", "Sec 1"])
        w.writerow(["bashir", "Student B", "b@example.org", "102", "S-2", "b2", "Sec 1"])
        w.writerow([HOSTILE, "-2+3", "@c@example.org", "103", "+S-3", "c3", "=1+1"])
    return path


def _parse(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_records_keep_the_latest_grading_of_each_submission(results):
    records = read_results(results)
    assert [(r.student, r.points()[0]) for r in records] == [
        (HOSTILE, 1.0), ("amina", 3.0), ("bashir", 2.5)]
    # written questions count at their rubric maximum, from kabulcase.checks
    assert records[0].points()[1] == 3.0 + checks.RUBRICS["ex02.q3d"].max_marks + \
        checks.RUBRICS["ex02.q4"].max_marks


@pytest.mark.parametrize("change, message", [
    ({"total": "3"}, "line 1: 'total' should be a number"),
    ({"set": "ex99"}, "unknown exercise set 'ex99'"),
    ({"graded_at": "yesterday"}, "'graded_at' should be an ISO-8601 time"),
    ({"questions": [_q("q1a", "essay", 1, 1)]}, "'kind' should be 'code' or 'written'"),
])
def test_a_broken_record_is_refused_with_its_line(tmp_path, change, message):
    path = _write(tmp_path / "results.jsonl", [_record("amina", **change)])
    with pytest.raises(ResultsError, match=message):
        read_results(path)


def test_an_unidentified_notebook_is_skipped_and_said_so(tmp_path):
    path = _write(tmp_path / "results.jsonl", [_record("amina"), _record("essay", set=None,
                                                                        status="unknown-exercise")])
    skipped = []
    assert [r.student for r in read_results(path, skipped=skipped)] == ["amina"]
    assert len(skipped) == 1 and "'essay'" in skipped[0] and "unknown-exercise" in skipped[0]


def test_a_cut_off_last_line_is_reported(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(_record("amina")) + "\n" + json.dumps(_record("b"))[:40])
    with pytest.raises(ResultsError, match="line 2: not valid JSON"):
        read_results(path)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", " =1", "\uff1d1"])
def test_formula_like_text_is_neutralised(text):
    assert safe_text(text).startswith("'")


@pytest.mark.parametrize("text", ["amina", "a-b", "1.5", ""])
def test_plain_text_is_left_alone(text):
    assert safe_text(text) == text


def test_canvas_file_has_the_documented_columns_and_numbers(results, roster, tmp_path):
    records, people = read_results(results), lms.read_roster(roster)
    [path] = lms.write_all(records, people, tmp_path / "out", only=("canvas",),
                           canvas_assignments={"ex02": "4567"})
    rows = _parse(path)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "Cameras over Kabul, exercises 2 (4567)"]
    by_id = {r[1]: r for r in rows[1:]}
    assert float(by_id["101"][5]) == 3.0 and float(by_id["102"][5]) == 2.5
    hostile = by_id["103"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in hostile)
    assert hostile[0] == "'-2+3" and hostile[2] == "'+S-3" and hostile[4] == "'=1+1"


def test_moodle_file_has_an_identifier_column_then_grades(results, roster, tmp_path):
    records, people = read_results(results), lms.read_roster(roster)
    [path] = lms.write_all(records, people, tmp_path / "out", only=("moodle",))
    rows = _parse(path)
    assert rows[0] == ["Email address", "Cameras over Kabul, exercises 2"]
    grades = {r[0]: float(r[1]) for r in rows[1:]}
    assert grades == {"'@c@example.org": 1.0, "a@example.org": 3.0, "b@example.org": 2.5}


def test_gradescope_file_uses_the_roster_conventions(results, roster, tmp_path):
    records, people = read_results(results), lms.read_roster(roster)
    [path] = lms.write_all(records, people, tmp_path / "out", only=("gradescope",))
    rows = _parse(path)
    assert rows[0][:3] == ["Name", "Email", "SID"]
    assert {r[1]: float(r[3]) for r in rows[1:]}["b@example.org"] == 2.5


def test_a_student_missing_from_the_roster_is_named(results, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,email\namina,a@example.org\n")
    with pytest.raises(lms.RosterError, match="not in the roster: .*'bashir'"):
        lms.write_all(read_results(results), lms.read_roster(roster), tmp_path / "out")


def test_a_roster_without_a_student_column_is_refused(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,email\namina,a@example.org\n")
    with pytest.raises(lms.RosterError, match="no 'student' column"):
        lms.read_roster(roster)


def test_canvas_needs_an_id_for_every_student(results, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"student,email\namina,a@x.org\nbashir,b@x.org\n\"{HOSTILE.replace(chr(34), 2 * chr(34))}\",c@x.org\n")
    with pytest.raises(lms.RosterError, match="Canvas matches a student by ID or SIS User ID"):
        lms.write_all(read_results(results), lms.read_roster(roster), tmp_path / "out", only=("canvas",))


# --------------------------------------------------------------------------- manual marking

def test_marking_export_has_the_rubric_and_every_answer(results, tmp_path):
    records = read_results(results)
    paths = marking.export(records, tmp_path / "marking")
    names = sorted(p.name for p in paths)
    assert names == ["ex02.q3d.md", "ex02.q4.md", "marks.csv"]
    text = (tmp_path / "marking" / "ex02.q3d.md").read_text()
    for criterion in checks.RUBRICS["ex02.q3d"].criteria:
        assert criterion in text
    assert "The grid share cited by dabs-2023 is 38 percent" in text
    assert text.count("| Criterion | Mark (0-3) | Comment |") == 3  # one table per student
    rows = _parse(tmp_path / "marking" / "marks.csv")
    assert rows[0] == marking.MARKS_HEADER
    n = len(checks.RUBRICS["ex02.q3d"].criteria) + len(checks.RUBRICS["ex02.q4"].criteria)
    assert len(rows) - 1 == 3 * n
    assert all(not r[0].startswith("=") for r in rows[1:])


def test_an_answer_with_backticks_or_html_cannot_break_out_of_its_block(tmp_path):
    hostile = "```\n<script>alert(1)</script>\n# Heading"
    path = _write(tmp_path / "results.jsonl", [_record("amina", answer=hostile)])
    text = marking.question_markdown("ex02.q3d", read_results(path))
    assert "````text\n" + hostile + "\n````" in text


def _fill(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(marking.MARKS_HEADER)
        w.writerows(rows)
    return path


def test_marks_are_read_back_into_the_totals(results, tmp_path):
    records = read_results(results)
    n = len(checks.RUBRICS["ex02.q3d"].criteria)
    marks = _fill(tmp_path / "marks.csv",
                  [["amina", "ex02.q3d", i, 2, "ok"] for i in range(1, n + 1)]
                  + [["bashir", "ex02.q3d", 1, 3, ""]])  # bashir: only one criterion so far
    merged = marking.merge(records, marking.read_marks(marks, records))
    amina = next(r for r in merged if r.student == "amina")
    assert amina.question("ex02.q3d").score == 2 * n
    assert amina.points()[0] == 3.0 + 2 * n
    bashir = next(r for r in merged if r.student == "bashir")
    assert bashir.question("ex02.q3d").score is None  # not fully marked: not counted
    assert ("bashir", "ex02.q3d") in marking.unmarked(merged)
    # the merged records go through the same reader and into the LMS files
    again = read_results(write_results(merged, tmp_path / "results-marked.jsonl"))
    assert next(r for r in again if r.student == "amina").points()[0] == 3.0 + 2 * n


@pytest.mark.parametrize("row, message", [
    (["amina", "ex02.q3d", 1, 4, ""], "mark 4 for criterion 1 of ex02.q3d .* above the maximum of 3"),
    (["amina", "ex02.q3d", 1, -1, ""], "negative"),
    (["amina", "ex02.q3d", 1, "good", ""], "the mark 'good' is not a number"),
    (["zara", "ex02.q3d", 1, 2, ""], "unknown student 'zara'"),
    (["amina", "ex02.q9", 1, 2, ""], "unknown question 'ex02.q9'"),
    (["amina", "ex01.q5", 1, 2, ""], "has no graded ex01 submission"),
    (["amina", "ex02.q3d", 99, 2, ""], "criteria 1 to"),
])
def test_a_bad_mark_is_refused_with_its_line(results, tmp_path, row, message):
    marks = _fill(tmp_path / "marks.csv", [["bashir", "ex02.q3d", 1, 2, ""], row])
    with pytest.raises(marking.MarksError, match="line 3: .*" + message):
        marking.read_marks(marks, read_results(results))


def test_a_mark_given_twice_is_refused(results, tmp_path):
    marks = _fill(tmp_path / "marks.csv", [["amina", "ex02.q3d", 1, 2, ""], ["amina", "ex02.q3d", 1, 3, ""]])
    with pytest.raises(marking.MarksError, match="line 3: .*already marked on line 2"):
        marking.read_marks(marks, read_results(results))


def test_the_hostile_id_round_trips_through_the_marks_file(results, tmp_path):
    records = read_results(results)
    marking.export(records, tmp_path / "m")
    rows = _parse(tmp_path / "m" / "marks.csv")
    filled = [[*r[:3], "1", ""] for r in rows[1:]]
    marks = marking.read_marks(_fill(tmp_path / "filled.csv", filled), records)
    assert HOSTILE in {m.student for m in marks}


def test_the_command_line_writes_every_lms_file_and_reports_errors_plainly(results, roster, tmp_path, capsys):
    from kabulcase.instructor.__main__ import main
    assert main(["lms", str(results), "--roster", str(roster), "--out", str(tmp_path / "lms"),
                 "--canvas-assignment", "ex02=4567"]) == 0
    assert sorted(p.name for p in (tmp_path / "lms").iterdir()) == [
        "canvas-grades.csv", "gradescope-grades.csv", "moodle-grades.csv"]
    assert "not fully marked yet" in capsys.readouterr().out
    assert main(["lms", str(results), "--roster", str(roster), "--canvas-assignment", "ex02"]) == 1
    assert "exNN=ID" in capsys.readouterr().err
