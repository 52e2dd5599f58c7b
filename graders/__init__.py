"""Backprop Lab's grading engine and grader suites.

The pipeline, one package per stage:
    graders.student   how grader tests reach student code (a sandboxed worker, or in-kernel)
    graders.engine    grading one submission or a class: pytest run -> contract JSON
    graders.collect   results -> nbgrader gradebook, grades.csv, feedback pages
    graders/NAME/     the pytest grader suite of assignment NAME
"""
from pathlib import Path

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ("activations", "softmax_loss", "backprop", "softmax_dim")
