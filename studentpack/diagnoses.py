"""In the kit, the pack's ``diagnoses`` module is graders/diagnoses.py itself; studentpack.build
copies that file into each pack as NAME_checks/diagnoses.py (this one never ships)."""
from graders.diagnoses import *  # noqa: F401,F403 - the runtime's `from . import diagnoses`
