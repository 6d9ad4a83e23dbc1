"""Hidden checks of ex04: grader-only, kept out of the package learners install.

Loaded by path by kabulcase.grading.hidden (and, in a checkout of the repository,
by kabulcase.checks for the instructor notebooks' hidden-check cells). They use the
public module's helpers, so they run in its namespace.
"""

from kabulcase.checks import ex04 as _public

globals().update({k: v for k, v in vars(_public).items() if not k.startswith("__")})


@_hidden("ex04.q2", "add_rates", 1, "add_rates works on other rows of the table too "
         "(AFJC's years, CPJ's twelve months)")
def _ex04_q2_hidden(fn):
    if not callable(fn):
        raise _Answer(f"`add_rates` should be a function, but it is {_describe(fn)}.")
    ok, off = 0, []
    tables = _hidden_tables()
    for name, rows in tables:
        want = {_row_key(r): (_months(r.period_start, r.period_end),
                              float(r.value) / _months(r.period_start, r.period_end))
                for r in rows.itertuples()}
        try:
            got = _call_with_time_limit(fn, rows.copy())
            if _is_unanswered(got):
                off = ["add_rates returns nothing yet (None): its body needs a `return`."]
                break
            got = _rate_table(got, f"add_rates on {name}")
            right, seen, msgs = _score_rates(got, want, name)
        except _Answer as exc:
            off.append(exc.message)
            continue
        except _TimeLimit:
            off.append(f"add_rates on {name} did not finish within {core.CALL_TIME_LIMIT} "
                       f"seconds (an endless loop?); the other tables were not tried.")
            break
        except Exception as exc:  # a learner's function may raise anything
            off.append(f"add_rates on {name} raised {type(exc).__name__}: {str(exc)[:120]}")
            continue
        if right == len(want) and len(seen) == len(want):
            ok += 1
        else:
            off.append(f"add_rates on {name}: " + (" ".join(msgs) or "the rates are not right."))
    if ok == len(tables):
        return 1, [f"add_rates gives the right months and rates for {ok} other tables."], [], None
    return 0, ([f"{ok} of {len(tables)} other tables are right."] if ok else []), off, \
        "Make the function read the dates and counts of whatever rows it is given, with no number typed in."

