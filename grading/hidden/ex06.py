"""Hidden checks of ex06: grader-only, kept out of the package learners install.

Loaded by path by kabulcase.grading.hidden (and, in a checkout of the repository,
by kabulcase.checks for the instructor notebooks' hidden-check cells). They use the
public module's helpers, so they run in its namespace.
"""

from kabulcase.checks import ex06 as _public

globals().update({k: v for k, v in vars(_public).items() if not k.startswith("__")})

# The inputs the hidden check tries: kept here, not in the package learners install.
HIDDEN_SUPPLY = (1.0, 4.0)  # grid supply hours, within Kabul's reported range


@_hidden("ex06.q3b", "advantage", 1, "advantage works for other grid supply hours too")
def _ex06_q3b_hidden(fn):
    if not callable(fn):
        raise _Answer(f"`advantage` should be a function, but it is {_describe(fn)}.")
    ok, off = 0, []
    for s in HIDDEN_SUPPLY:
        want = _advantage(s)
        try:
            got = _call_with_time_limit(fn, s)
            if _is_unanswered(got):
                off = ["advantage returns nothing yet (None): its body needs a `return`."]
                break
            got = _as_number(got, f"advantage({s:g})")
        except _Answer as exc:
            off.append(exc.message)
            continue
        except _TimeLimit:
            off.append(f"advantage({s:g}) did not finish within {core.CALL_TIME_LIMIT} seconds.")
            break
        except Exception as exc:  # a learner's function may raise anything
            off.append(f"advantage({s:g}) raised {type(exc).__name__}: {str(exc)[:120]}")
            continue
        if _close(got, want):
            ok += 1
        else:
            off.append(f"advantage({s:g}) gave {got:,.2f}, which is not the model's ratio at that supply.")
    if ok == len(HIDDEN_SUPPLY):
        return 1, [f"advantage gives the right ratio at {ok} other supply levels."], [], None
    return 0, ([f"{ok} of {len(HIDDEN_SUPPLY)} other supply levels are right."] if ok else []), off, \
        "Make the function use its argument for both the supply and the battery hours, with no number typed in."

