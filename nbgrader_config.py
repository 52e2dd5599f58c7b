"""This repository is an nbgrader course: reference/ is the source, assignments/ the release.

`make release` turns reference/NAME/NAME.py (jupytext) into reference/NAME/NAME.ipynb and runs
`nbgrader generate_assignment`; `make grade` fills the gradebook below from the isolated
grader's JSON scores, then runs `nbgrader export` and writes feedback.
"""
import os

c = get_config()  # noqa: F821 - nbgrader supplies get_config when it loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "backprop-lab"
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = "reference"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.submitted_directory = os.environ.get("BACKPROP_SUBMITTED", "submitted")
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# generate_assignment copies every other file of reference/NAME/ into the release: never the
# solution's source (NAME.py) nor anything else in Python.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]
# The gradebook lives in a git-ignored folder; BACKPROP_GRADEBOOK points elsewhere (tests do).
c.CourseDirectory.db_url = "sqlite:///" + os.environ.get(
    "BACKPROP_GRADEBOOK", os.path.join(HERE, "gradebook", "gradebook.db")
)
# Released notebooks must not depend on the time they were made (make release is byte-stable).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
