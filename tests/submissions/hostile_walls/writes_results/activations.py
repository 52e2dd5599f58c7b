# Forges results, the gradebook and a classmate's submission.
import json
import os

import numpy as np


def relu(x):
    return np.maximum(0, x)


forged = {"assignment": "activations", "student": "honest1", "score": 999.0, "max_score": 9.0, "tests": []}
for path, text in (
    ("@@RESULTS@@/activations/honest1.json", json.dumps(forged)),
    ("@@RESULTS@@/activations/writes_results.json", json.dumps({**forged, "student": "writes_results"})),
    ("@@RESULTS@@/summary.csv", "student,assignment,score\nwrites_results,activations,999\n"),
    ("@@KIT@@/gradebook/gradebook.db", "forged"),
    ("@@CLASS@@/honest2/activations/activations.py", "raise SystemExit('sabotaged')\n"),
):
    try:
        with open(path, "w") as f:
            f.write(text)
    except Exception:
        pass
