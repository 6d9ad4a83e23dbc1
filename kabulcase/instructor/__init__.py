"""The instructor's side of a course: from the grader's records to the tools a course uses.

The grader (:mod:`kabulcase.grade`) writes one JSON record per graded submission to
``results.jsonl`` (:mod:`.results` reads and checks it). From there:

* :mod:`.lms` writes the grade-import CSVs of Canvas, Moodle and Gradescope, with a roster
  that the instructor supplies (student id -> e-mail, SIS id, ...);
* :mod:`.marking` exports the written answers, one Markdown file per question with its
  rubric from :mod:`kabulcase.checks`, and reads the marks back from a CSV;
* :mod:`.otter_export` turns an exercise source into an otter-grader (otter-assign v1)
  master notebook, for courses that grade on Gradescope;
* :mod:`.links` builds the nbgitpuller link of each exercise set, for a JupyterHub.

``python -m kabulcase.instructor --help`` lists the commands.
"""
