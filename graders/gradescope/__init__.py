"""Grading on Gradescope: an autograder zip per assignment (build.py), the script it runs per
submission (run.py), and the contract's result turned into Gradescope's results.json (results.py).

The zip holds setup.sh and run_autograder at its root, this kit as a wheel
(grading code, grader suites and reference; nothing of nbgrader) and config.json (the assignment,
the visibility of hidden tests, the base seed).
"""
