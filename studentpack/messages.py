"""In the kit, the pack's ``messages`` module is graders/messages/__init__.py itself; studentpack.build
ships that file as NAME_checks/messages.py, with the pack's own compiled catalogue beside it in
NAME_checks/locale/ (this one never ships)."""
from graders.messages import ENV, LANGS, _, chosen, hint, language, translate, use  # noqa: F401
