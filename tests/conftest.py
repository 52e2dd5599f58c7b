"""Shared set-up of the kit's own tests."""
pytest_plugins = ["pytester"]
