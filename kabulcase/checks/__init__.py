"""Feedback for the exercise notebooks, and the checks the grader reuses.

``check`` and ``self_check_text`` are the learner's entry points; the machinery is in
:mod:`.core` (its docstring says how and why it is built), and each exercise set keeps its
expected answers, checks and rubrics in a module of its own (``ex01``, ``ex02``, ...),
imported here so that every question is registered.
"""

import importlib
import pkgutil

from .core import *  # noqa: F401,F403
from .core import (OUTCOMES, QUESTIONS, RUBRICS, CheckResult, Question, Rubric,  # noqa: F401
                   _hidden_results, assessed_by, objective_ids,
                   assert_hidden, check, exercises, expected, grade_namespace, questions,
                   self_check_text)

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)  # noqa: F405
                      if m.name.startswith("ex")):
    importlib.import_module(f"{__name__}.{_module}")

# In a checkout of the repository, the instructor-side hidden checks (grading/hidden/,
# not part of the installed package) are registered too, for the instructor notebooks'
# hidden-check cells and the tests; an installed wheel has no such folder.
from ..grading import hidden as _hidden_checks  # noqa: E402

_hidden_checks.load()
