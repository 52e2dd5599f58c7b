"""The softmax_dim reference against PyTorch (float64): forward values first, then every backward via autograd."""
import numpy as np
import pytest

from graders.reference import load_reference

torch = pytest.importorskip("torch", reason="PyTorch CPU is the independent oracle (pip install -r requirements-dev.txt)")
F = torch.nn.functional

REDUCTIONS = ["mean", "sum", "none"]


@pytest.fixture(scope="module")
def ref():
    return load_reference("softmax_dim")


def logits(seed, shape=(5, 4), scale=3.0):
    x = np.random.default_rng(seed).normal(0, scale, shape)
    x[0] = [1000.0, 0.0, -1000.0, 5.0][: shape[-1]] if shape[-1] == 4 else x[0]  # one extreme row
    return x


@pytest.mark.parametrize("shape, dim", [((5, 4), -1), ((5, 4), 0), ((2, 3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), -1), ((2, 3, 4), -3)],
                         ids=lambda v: str(v))
def test_softmax_forward_and_backward_match_torch(ref, shape, dim):
    """Do Softmax(dim).forward and .backward equal torch.softmax and its autograd gradient?"""
    x = np.random.default_rng(1).normal(0, 3, shape)
    dout = np.random.default_rng(2).normal(0, 1, shape)
    t = torch.from_numpy(x).requires_grad_()
    y = torch.softmax(t, dim=dim)
    y.backward(torch.from_numpy(dout))
    layer = ref.Softmax(dim=dim)
    np.testing.assert_allclose(layer.forward(x), y.detach().numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(layer.backward(dout), t.grad.numpy(), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_log_softmax_matches_torch_on_extreme_logits(ref, dim):
    """Does log_softmax give torch's values (and stay finite) with logits of +-1000?"""
    x = logits(3)
    np.testing.assert_allclose(ref.log_softmax(x, dim=dim), F.log_softmax(torch.from_numpy(x), dim=dim).numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_matches_torch(ref, reduction):
    """Does nll_loss equal F.nll_loss for every reduction?"""
    lp = F.log_softmax(torch.from_numpy(logits(4)), dim=1).numpy()
    target = np.array([2, 0, 3, 1, 1])
    want = F.nll_loss(torch.from_numpy(lp), torch.from_numpy(target), reduction=reduction).numpy()
    np.testing.assert_allclose(ref.nll_loss(lp, target, reduction=reduction), want, rtol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", ["indices", "probabilities"])
def test_cross_entropy_loss_forward_and_backward_match_torch(ref, reduction, kind):
    """Do CrossEntropyLoss forward and backward equal F.cross_entropy and autograd, for index and
    probability targets and every reduction (extreme logits included)?"""
    x = logits(5)
    rng = np.random.default_rng(6)
    target = np.array([2, 0, 3, 1, 1]) if kind == "indices" else rng.dirichlet(np.ones(4), size=5)
    t = torch.from_numpy(x).requires_grad_()
    loss = F.cross_entropy(t, torch.from_numpy(target), reduction=reduction)
    dout = rng.normal(0, 1, 5) if reduction == "none" else 1.7
    loss.backward(torch.as_tensor(dout, dtype=torch.float64))
    layer = ref.CrossEntropyLoss(reduction=reduction)
    np.testing.assert_allclose(layer.forward(x, target), loss.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.backward(dout), t.grad.numpy(), rtol=1e-9, atol=1e-15)


def test_cross_entropy_loss_of_extreme_logits_is_2000(ref):
    """Is the loss of [1000, 0, -1000] with class 2 exactly torch's 2000?"""
    x = np.array([[1000.0, 0.0, -1000.0]])
    want = float(F.cross_entropy(torch.from_numpy(x), torch.tensor([2])))
    assert want == 2000.0 and ref.CrossEntropyLoss().forward(x, np.array([2])) == want
