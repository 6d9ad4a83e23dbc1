"""Hidden checks of ex05: grader-only, kept out of the package learners install.

Loaded by path by kabulcase.grading.hidden (and, in a checkout of the repository,
by kabulcase.checks for the instructor notebooks' hidden-check cells). They use the
public module's helpers, so they run in its namespace.
"""

from kabulcase.checks import ex05 as _public

globals().update({k: v for k, v in vars(_public).items() if not k.startswith("__")})


@_hidden("ex05.q2", "all_in_per_camera", 1,
         "all_in_per_camera works on other tables of projects too")
def _ex05_q2_hidden(fn):
    if not callable(fn):
        raise _Answer(f"`all_in_per_camera` should be a function, but it is {_describe(fn)}.")
    ok, off = 0, []
    tables = _hidden_comparators()
    for name, table in tables:
        try:
            got = _call_with_time_limit(fn, table.copy())
            if _is_unanswered(got):
                off = ["all_in_per_camera returns nothing yet (None): its body needs a `return`."]
                break
            got = _per_camera_table(got, f"all_in_per_camera on {name}")
            score, _, msgs = _score_per_camera(got, _per_camera_rows(table), name)
        except _Answer as exc:
            off.append(exc.message)
            continue
        except _TimeLimit:
            off.append(f"all_in_per_camera on {name} did not finish within {core.CALL_TIME_LIMIT} "
                       f"seconds (an endless loop?); the other tables were not tried.")
            break
        except Exception as exc:  # a learner's function may raise anything
            off.append(f"all_in_per_camera on {name} raised {type(exc).__name__}: {str(exc)[:120]}")
            continue
        if score >= 2:
            ok += 1
        else:
            off.append(f"all_in_per_camera on {name}: " + " ".join(msgs))
    if ok == len(tables):
        return 1, [f"all_in_per_camera gives the right sorted, labelled table for {ok} other "
                   f"tables of projects."], [], None
    return 0, ([f"{ok} of {len(tables)} other tables are right."] if ok else []), off, \
        "Make the function compute everything from the table it is given, with no number or city typed in."

