"""The softmax_loss reference against PyTorch (float64), forward first, then backward via autograd."""
import numpy as np
import pytest

from graders.reference import load_reference

torch = pytest.importorskip("torch", reason="PyTorch CPU is the independent oracle (pip install -r requirements-dev.txt)")
F = torch.nn.functional

BATCHES = [(4, 5), (5, 5), (1, 6), (10, 3)]
SHAPES = [(7,), *BATCHES, (2, 3, 4)]


@pytest.fixture(scope="module")
def ref():
    return load_reference("softmax_loss")


def logits(shape, seed, scale=3.0):
    return np.random.default_rng(seed).normal(0, scale, shape)


def labels(n, c, seed):
    return np.random.default_rng(seed).integers(0, c, n)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_softmax_matches_torch_over_the_last_axis(ref, shape):
    """Does softmax give torch.softmax(dim=-1), for 1-D, batches and 3-D inputs?"""
    x = logits(shape, 1)
    np.testing.assert_allclose(ref.softmax(x), torch.softmax(torch.from_numpy(x), dim=-1).numpy(), rtol=1e-12, atol=1e-300)


def test_softmax_matches_torch_on_extreme_rows(ref):
    """Does softmax stay equal to torch's on rows of +-1000 and rows far apart in one batch?"""
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0], [1000.0, 0.0, -1000.0], [0.0, 1.0, 2.0]])
    want = torch.softmax(torch.from_numpy(x), dim=-1).numpy()
    np.testing.assert_allclose(ref.softmax(x), want, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ref.softmax(x[0]), want[0], rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("shape", BATCHES, ids=str)
def test_cross_entropy_error_matches_torch_nll_for_both_label_formats(ref, shape):
    """Is cross_entropy_error torch's mean NLL of the log-probabilities, for index and one-hot labels?"""
    n, c = shape
    y = ref.softmax(logits(shape, 2, 1.0))
    t = labels(n, c, 3)
    want = F.nll_loss(torch.log(torch.from_numpy(y)), torch.from_numpy(t)).item()
    assert ref.cross_entropy_error(y, t) == pytest.approx(want, rel=1e-12)
    assert ref.cross_entropy_error(y, np.eye(c)[t]) == pytest.approx(want, rel=1e-12)


def test_cross_entropy_error_of_one_sample_matches_torch(ref):
    """Does a 1-D y with an int label or a one-hot label give torch's NLL of that sample?"""
    y = ref.softmax(logits((6,), 4, 1.0))
    want = F.nll_loss(torch.log(torch.from_numpy(y))[None], torch.tensor([4])).item()
    assert ref.cross_entropy_error(y, np.int64(4)) == pytest.approx(want, rel=1e-12)
    assert ref.cross_entropy_error(y, 4) == pytest.approx(want, rel=1e-12)
    assert ref.cross_entropy_error(y, np.eye(6)[4]) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("shape", BATCHES, ids=str)
@pytest.mark.parametrize("one_hot", [False, True], ids=["indices", "one_hot"])
def test_softmax_with_loss_matches_torch_cross_entropy_and_autograd(ref, shape, one_hot):
    """Are SoftmaxWithLoss's loss and dx torch's F.cross_entropy and its autograd gradient?"""
    n, c = shape
    x, t = logits(shape, 5), labels(n, c, 6)
    xt = torch.from_numpy(x).requires_grad_()
    loss = F.cross_entropy(xt, torch.from_numpy(t))
    loss.backward()
    layer = ref.SoftmaxWithLoss()
    assert layer.forward(x, np.eye(c)[t] if one_hot else t) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(layer.backward(), xt.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_softmax_with_loss_matches_torch_on_extreme_logits(ref):
    """Do the loss (2000 on [1000, 0, -1000] label 2) and dx stay exact on extreme logits?"""
    x = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0]])
    t = np.array([2, 0, 1])
    xt = torch.from_numpy(x).requires_grad_()
    loss = F.cross_entropy(xt, torch.from_numpy(t))
    loss.backward()
    layer = ref.SoftmaxWithLoss()
    assert layer.forward(x, t) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(layer.backward(), xt.grad.numpy(), rtol=1e-10, atol=1e-15)
    assert ref.SoftmaxWithLoss().forward(x[:1], t[:1]) == 2000.0
