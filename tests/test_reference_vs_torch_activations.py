"""The activations reference against PyTorch (float64), forward first, then backward via autograd."""
import numpy as np
import pytest

from graders.reference import load_reference

torch = pytest.importorskip("torch", reason="PyTorch CPU is the independent oracle (pip install -r requirements-dev.txt)")

SHAPES = [(7,), (4, 5), (2, 3, 4)]


@pytest.fixture(scope="module")
def ref():
    return load_reference("activations")


def rand(shape, seed, scale=3.0):
    return np.random.default_rng(seed).normal(0, scale, shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_sigmoid_and_relu_forward_match_torch(ref, shape):
    """Do sigmoid and relu give torch's values, extreme inputs included?"""
    x = rand(shape, 1)
    x.flat[:2] = [-1000.0, 1000.0]
    t = torch.from_numpy(x)
    np.testing.assert_allclose(ref.sigmoid(x), torch.sigmoid(t).numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_array_equal(ref.relu(x), torch.relu(t).numpy())


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_sigmoid_grad_and_sigmoid_layer_backward_match_autograd(ref, shape):
    """Do sigmoid_grad and Sigmoid.backward equal torch.autograd's gradient?"""
    x, dout = rand(shape, 2), rand(shape, 3, 1.0)
    t = torch.from_numpy(x).requires_grad_()
    torch.sigmoid(t).backward(torch.from_numpy(dout))
    layer = ref.Sigmoid()
    np.testing.assert_allclose(layer.forward(x), torch.sigmoid(torch.from_numpy(x)).numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.backward(dout), t.grad.numpy(), rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(ref.sigmoid_grad(x) * dout, t.grad.numpy(), rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_relu_layer_backward_matches_autograd(ref, shape):
    """Does Relu.backward equal torch.autograd's gradient away from 0?"""
    x, dout = rand(shape, 4), rand(shape, 5, 1.0)
    x[np.abs(x) < 1e-3] = 0.5  # torch and the reference agree at 0 too, but the contract allows either there
    t = torch.from_numpy(x).requires_grad_()
    torch.relu(t).backward(torch.from_numpy(dout))
    layer = ref.Relu()
    np.testing.assert_array_equal(layer.forward(x), torch.relu(torch.from_numpy(x)).numpy())
    np.testing.assert_array_equal(layer.backward(dout), t.grad.numpy())
