"""Hidden checks of ex02: grader-only, kept out of the package learners install.

Loaded by path by kabulcase.grading.hidden (and, in a checkout of the repository,
by kabulcase.checks for the instructor notebooks' hidden-check cells). They use the
public module's helpers, so they run in its namespace.
"""

from kabulcase.checks import ex02 as _public

globals().update({k: v for k, v in vars(_public).items() if not k.startswith("__")})

# The inputs the hidden check tries: kept here, not in the package learners install.
GAP_OTHER_YEARS = (2007, 2019, 2023)
BATTERY_CALLS = ((0.0, TARGET), (6.0, TARGET), (4.0, 0.5), (0.0, 1.0), (23.0, TARGET), (12.0, 0.5))


@_hidden("ex02.q1b", "gap_range", 1,
         "gap_range works for other years, not only the one in the question")
def _ex02_q1b_hidden(fn):
    access = load("electricity_access")
    calls = [((access, year), gap_range_from(access, year)) for year in GAP_OTHER_YEARS]
    score, right, off, _ = _try_function(fn, "gap_range", calls, _compare_pair)
    return score, right, off, ("Make the function read everything from `access` using `year`, "
                               "with no number typed in.")



@_hidden("ex02.q3a", "battery_needed", 1,
         "battery_needed works for other supply hours and targets, and never returns a "
         "negative battery")
def _ex02_q3a_hidden(fn):
    calls = [((s, t), battery_needed_for(s, t)) for s, t in BATTERY_CALLS]
    score, right, off, _ = _try_function(fn, "battery_needed", calls, _compare_number)
    hint = ("Use both arguments; when the grid alone reaches the target, no battery is needed "
            "(0 hours, not a negative number).")
    return score, right, off, hint

