"""What can go wrong on the student's side, as the grading side sees it."""


class StudentProblem(Exception):
    """Base of every failure caused by student code (never by the grader)."""


class StudentError(StudentProblem):
    """Student code raised. ``kind`` is the exception's type name, ``where`` the student's line."""

    def __init__(self, kind: str, message: str, where: str = ""):
        self.kind, self.message, self.where = kind, message, where
        text = f"{kind}: {message}" if message else kind
        super().__init__(f"{text} ({where})" if where else text)


class MissingName(StudentError):
    """The submission does not define a name the contract asks for."""

    def __init__(self, name: str):
        super().__init__("NameError", f"your code defines no '{name}'")
        self.name = name


class StudentTimeout(StudentProblem):
    """A call into student code ran past its time limit (the worker was stopped)."""


class StudentCrashed(StudentProblem):
    """The student's process ended (os._exit, a crash, a memory or CPU limit) or broke the protocol."""
