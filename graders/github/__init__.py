"""Public checks in a student's GitHub repository (the workflow in ci/github/): a result turned
into the job summary, an annotation with the total, and the classroom-resources reporter's
base64 ``result`` output (report.py, run as ``python -m graders.github RESULT.json``)."""
