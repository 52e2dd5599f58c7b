"""Grading: a suite run over one submission (suite.py), its JSON (report.py), one submission
from the command line (grade.py), a whole class (batch.py)."""
