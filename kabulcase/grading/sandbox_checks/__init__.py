"""What ``kabulcase.checks`` is inside the grading sandbox: the learner's entry points do
nothing, and nothing that computes an answer (``expected``, the checkers) is there.

The grader scores the exported answers outside the sandbox, so a submission gains nothing
by changing these; and it cannot fill its answers from the answer key, which is absent.
"""


def check(key, answer=None, *, quiet=False):
    if not quiet:
        print(f"{key}: checked when your notebook is graded.")


def self_check_text(key, text=None, *, quiet=False):
    return check(key, text, quiet=quiet)


def assert_hidden(key, namespace=None):
    return []


def __getattr__(name):
    raise AttributeError(
        f"kabulcase.checks.{name} is not available while a notebook is graded: the answer "
        f"key stays with the grader. Compute your answers in the notebook itself.")
