"""studentpack.extract: which of a grader suite's code follows its public tests into the pack."""
from __future__ import annotations

import ast
import sys

from studentpack.extract import Cutter


def test_cutter_keeps_the_helpers_public_tests_use_and_drops_hidden_only_ones():
    """activations: check_forward and check_backward go along; the secondary checks stay behind."""
    cutter = Cutter("activations")
    names = {t.name for t in cutter.cut()}
    assert "test_sigmoid_layer_backward_matches_numerical_gradient" in names
    assert "test_sigmoid_layer_leaves_x_and_dout_alone" not in names  # hidden: no @pytest.mark.public
    kept = cutter.kept["graders.activations.layer_checks"]
    assert {"check_forward", "check_backward", "gradient_at"} <= kept
    assert not {"check_latest_cache", "check_instances_apart", "check_left_alone", "control_is_right"} & kept
    assert "overflow_hint" not in cutter.kept["graders.activations.test_functions"]


def test_cut_source_is_valid_python_without_pytest_or_graders_imports():
    """Every cut module parses, and imports only numpy, the standard library or the pack itself."""
    cutter = Cutter("softmax_loss", {"graders.softmax_loss.cases": ["exact_loss"]})
    cutter.cut()
    for module in cutter.modules:
        text = cutter.source(module)
        if text is None:
            continue
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 1 or node.module.split(".")[0] in sys.stdlib_module_names, (module, node.module)
            elif isinstance(node, ast.Import):
                assert all(a.name == "numpy" or a.name.split(".")[0] in sys.stdlib_module_names for a in node.names), module
        if module.endswith(".cases"):
            assert "exact_loss = oracle('exact_loss')" in text and "def exact_loss" not in text


def test_a_helpers_decorator_ships_with_it_and_a_tests_marks_do_not():
    """backprop's naming_the_case is a context manager: @contextlib.contextmanager goes along with it."""
    cutter = Cutter("backprop")
    cutter.cut()
    assert "@contextlib.contextmanager\ndef naming_the_case(" in cutter.source("graders.backprop.gradient_checks")
    assert "pytest" not in cutter.source("graders.backprop.test_affine")


def test_an_oracle_only_hidden_tests_use_ships_not_even_as_a_name():
    """net_cases.epsilon_allowance serves only the hidden loss test; softmax_rows a public diagnosis."""
    cutter = Cutter("backprop", {"graders.backprop.net_cases": ["epsilon_allowance", "softmax_rows"]})
    cutter.cut()
    text = cutter.source("graders.backprop.net_cases")
    assert "softmax_rows = oracle('softmax_rows')" in text and "def softmax_rows" not in text
    assert "epsilon_allowance" not in text
