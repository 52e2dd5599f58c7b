"""The backprop reference against PyTorch (float64): forward values first, then backward via autograd."""
import numpy as np
import pytest

from graders.reference import load_reference

torch = pytest.importorskip("torch", reason="PyTorch CPU is the independent oracle (pip install -r requirements-dev.txt)")

# (x shape, M): plain batches, a square one (N == D == M), one sample, and N-D samples to flatten.
AFFINE_CASES = [((4, 3), 5), ((3, 3), 3), ((1, 6), 2), ((2, 2, 3), 4), ((3, 2, 2, 2), 3)]
NET_CASES = [(5, 6, 4, 3), (3, 4, 5, 3), (1, 3, 2, 4)]  # (N, input, hidden, output)


@pytest.fixture(scope="module")
def ref():
    return load_reference("backprop")


def rand(seed, shape, scale=1.0):
    return np.random.default_rng(seed).normal(0, scale, shape)


def t64(a, grad=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


@pytest.mark.parametrize("shape, m", AFFINE_CASES, ids=str)
def test_affine_forward_matches_torch_linear(ref, shape, m):
    """Does Affine.forward equal torch's linear layer on the flattened samples?"""
    x = rand(1, shape)
    d = int(np.prod(shape[1:]))
    W, b = rand(2, (d, m)), rand(3, (m,))
    want = torch.nn.functional.linear(t64(x).reshape(shape[0], -1), t64(W).T, t64(b))
    np.testing.assert_allclose(ref.Affine(W, b).forward(x), want.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape, m", AFFINE_CASES, ids=str)
def test_affine_backward_matches_autograd(ref, shape, m):
    """Are Affine's dx (in x's shape), dW and db torch.autograd's gradients?"""
    x, d = rand(4, shape), int(np.prod(shape[1:]))
    W, b, dout = rand(5, (d, m)), rand(6, (m,)), rand(7, (shape[0], m))
    tx, tW, tb = t64(x, True), t64(W, True), t64(b, True)
    (tx.reshape(shape[0], -1) @ tW + tb).backward(t64(dout))
    layer = ref.Affine(W, b)
    layer.forward(x)
    np.testing.assert_allclose(layer.backward(dout), tx.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.dW, tW.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.db, tb.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n, c", [(4, 3), (3, 3), (1, 5)], ids=str)
def test_softmax_with_loss_matches_torch_cross_entropy(ref, n, c):
    """Do SoftmaxWithLoss's loss and dx equal torch's cross_entropy, index and one-hot labels alike?"""
    x = rand(8, (n, c), 3.0)
    labels = np.random.default_rng(9).integers(0, c, n)
    tx = t64(x, True)
    loss = torch.nn.functional.cross_entropy(tx, torch.from_numpy(labels))
    loss.backward()
    for t in (labels, np.eye(c)[labels]):
        layer = ref.SoftmaxWithLoss()
        assert layer.forward(x, t) == pytest.approx(loss.item(), rel=1e-12)
        np.testing.assert_allclose(layer.backward(), tx.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_softmax_with_loss_extreme_logits_match_torch(ref):
    """Are loss and gradient exact on logits +-1000, where the label's probability underflows?"""
    x = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -999.0]])
    labels = np.array([2, 2])
    tx = t64(x, True)
    loss = torch.nn.functional.cross_entropy(tx, torch.from_numpy(labels))
    loss.backward()
    layer = ref.SoftmaxWithLoss()
    assert layer.forward(x, labels) == pytest.approx(loss.item(), rel=1e-12)
    assert layer.forward(x[:1], labels[:1]) == pytest.approx(2000.0, rel=1e-12)
    layer.forward(x, labels)
    np.testing.assert_allclose(layer.backward(), tx.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2)], ids=str)
def test_numerical_gradient_matches_autograd(ref, shape):
    """Is numerical_gradient torch's gradient of a smooth function, x untouched afterwards?"""
    x, c = rand(10, shape), rand(11, shape)
    before = x.copy()
    tx = t64(x, True)
    (t64(c) * torch.tanh(tx) + torch.sin(2 * tx)).sum().backward()
    got = ref.numerical_gradient(lambda z: np.sum(c * np.tanh(z) + np.sin(2 * z)), x)
    # central difference, h = 1e-4: error ~ h**2 / 6 * |f'''| <= 1e-8 here
    np.testing.assert_allclose(got, tx.grad.numpy(), rtol=0, atol=1e-7)
    np.testing.assert_array_equal(x, before)


def torch_net(params, x):
    W1, b1, W2, b2 = (t64(params[k], True) for k in ("W1", "b1", "W2", "b2"))
    return (W1, b1, W2, b2), torch.relu(t64(x) @ W1 + b1) @ W2 + b2


@pytest.mark.parametrize("n, d, h, c", NET_CASES, ids=str)
def test_two_layer_net_predict_loss_and_gradient_match_autograd(ref, n, d, h, c):
    """With params set in place, do predict, loss, gradient and numerical_gradient agree with torch?"""
    net = ref.TwoLayerNet(d, h, c)
    for i, key in enumerate(("W1", "b1", "W2", "b2")):
        net.params[key][...] = rand(20 + i, net.params[key].shape)
    x = rand(30, (n, d))
    labels = np.random.default_rng(31).integers(0, c, n)
    leaves, scores = torch_net(net.params, x)
    loss = torch.nn.functional.cross_entropy(scores, torch.from_numpy(labels))
    loss.backward()
    np.testing.assert_allclose(net.predict(x), scores.detach().numpy(), rtol=1e-12, atol=1e-12)
    want_accuracy = float(np.mean(scores.detach().numpy().argmax(axis=1) == labels))
    for t in (labels, np.eye(c)[labels]):
        assert net.loss(x, t) == pytest.approx(loss.item(), rel=1e-12)
        assert net.accuracy(x, t) == want_accuracy
        grads = net.gradient(x, t)
        for key, leaf in zip(("W1", "b1", "W2", "b2"), leaves):
            np.testing.assert_allclose(grads[key], leaf.grad.numpy(), rtol=1e-10, atol=1e-12)
    numeric = net.numerical_gradient(x, labels)
    for key, leaf in zip(("W1", "b1", "W2", "b2"), leaves):
        np.testing.assert_allclose(numeric[key], leaf.grad.numpy(), rtol=0, atol=1e-6)
