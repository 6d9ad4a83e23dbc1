"""Hidden checks of ex01: grader-only, kept out of the package learners install.

Loaded by path by kabulcase.grading.hidden (and, in a checkout of the repository,
by kabulcase.checks for the instructor notebooks' hidden-check cells). They use the
public module's helpers, so they run in its namespace.
"""

from kabulcase.checks import ex01 as _public

globals().update({k: v for k, v in vars(_public).items() if not k.startswith("__")})

# The inputs the hidden check tries: kept here, not in the package learners install.
GROWTH_PAIRS = (("2014-06", "2025-02"), ("2024-04", "2024-07"), ("2021", "2024-04"))


@_hidden("ex01.q2b", "growth_factor", 1,
         "growth_factor works for other pairs of dates, not only the one in the question")
def _ex01_q2b_hidden(fn):
    if not callable(fn):
        raise _Answer(f"`growth_factor` should be a function, but it is {_describe(fn)}.")
    counts = load("camera_counts")
    ok, off = 0, []
    for start, end in GROWTH_PAIRS:
        want = _kabul(end) / _kabul(start)
        try:
            got = _call_with_time_limit(fn, counts.copy(), start, end)
            if _is_unanswered(got):
                off = ["growth_factor returns nothing yet (None): its body needs a `return`."]
                break
            got = _as_number(got, f"growth_factor(counts, {start!r}, {end!r})")
        except _Answer as exc:
            off.append(exc.message)
            continue
        except _TimeLimit:
            off.append(f"growth_factor(counts, {start!r}, {end!r}) did not finish within "
                       f"{core.CALL_TIME_LIMIT} seconds (an endless loop?); the other pairs were not tried.")
            break
        except Exception as exc:  # a learner's function may raise anything
            off.append(f"growth_factor(counts, {start!r}, {end!r}) raised "
                       f"{type(exc).__name__}: {str(exc)[:120]}")
            continue
        if math.isclose(got, want, rel_tol=0.005):
            ok += 1
        else:
            off.append(f"growth_factor(counts, {start!r}, {end!r}) gave {_fmt_ratio(got)}, "
                       f"which is not the later count divided by the earlier one.")
    if ok == len(GROWTH_PAIRS):
        return 1, [f"growth_factor gives the right factor for {ok} other pairs of dates."], [], None
    return 0, ([f"{ok} of {len(GROWTH_PAIRS)} other pairs are right."] if ok else []), off, \
        "Make the function read both counts from `counts` using `start` and `end`, with no number typed in."

