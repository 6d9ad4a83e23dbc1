"""Hidden checks of ex03: grader-only, kept out of the package learners install.

Loaded by path by kabulcase.grading.hidden (and, in a checkout of the repository,
by kabulcase.checks for the instructor notebooks' hidden-check cells). They use the
public module's helpers, so they run in its namespace.
"""

from kabulcase.checks import ex03 as _public

globals().update({k: v for k, v in vars(_public).items() if not k.startswith("__")})


@_hidden("ex03.q1", "unit_ranges", 1,
         "unit_ranges works on other selections of the estimates, not only the whole table")
def _ex03_q1_hidden(fn):
    strength = load("iskp_strength")
    calls = [((df,), unit_ranges_from(df)) for _, df in _strength_variants(strength)]
    score, right, off, _ = _try_function(fn, "unit_ranges", calls, _compare_units)
    return score, right, off, ("Make the function read everything from the table it is given, "
                               "with no unit or number typed in.")

