"""d2lutils.activations: each function against torch's own, each closed-form derivative against autograd."""
from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

import d2lutils as d2l

# float64 points; the kink of ReLU/pReLU at 0 is left out where derivatives are compared.
X = torch.linspace(-6.0, 6.0, 1201, dtype=torch.float64)
AWAY_FROM_KINK = X[X.abs() > 1e-3]
ALPHAS = (0.0, 0.1, 0.25, 1.5)
BETAS = (0.5, 1.0, 2.0)


def autograd_derivative(fn, x: torch.Tensor) -> torch.Tensor:
    """Elementwise derivative of fn at x, by autograd."""
    x = x.clone().requires_grad_(True)
    fn(x).sum().backward()
    return x.grad


@pytest.mark.parametrize("alpha", ALPHAS)
def test_functions_match_torch(alpha):
    assert torch.equal(d2l.relu(X), F.relu(X))
    assert torch.allclose(d2l.prelu(X, alpha), F.prelu(X, torch.tensor([alpha], dtype=X.dtype)), rtol=0, atol=1e-15)
    assert torch.allclose(d2l.sigmoid(X), 1 / (1 + torch.exp(-X)), rtol=0, atol=1e-15)
    assert torch.allclose(d2l.tanh(X), (1 - torch.exp(-2 * X)) / (1 + torch.exp(-2 * X)), rtol=0, atol=1e-15)
    assert torch.allclose(d2l.swish(X), F.silu(X), rtol=0, atol=1e-14)
    assert torch.allclose(d2l.gelu(X), F.gelu(X), rtol=0, atol=1e-14)  # exact erf form, torch's default
    assert not torch.allclose(d2l.gelu(X), F.gelu(X, approximate="tanh"), rtol=0, atol=1e-6)


@pytest.mark.parametrize("beta", BETAS)
def test_swish_beta_is_x_times_sigmoid_beta_x(beta):
    assert torch.allclose(d2l.swish(X, beta), X / (1 + torch.exp(-beta * X)), rtol=0, atol=1e-14)


@pytest.mark.parametrize(("name", "fn", "grad", "points"), [
    ("ReLU", d2l.relu, d2l.relu_grad, AWAY_FROM_KINK),
    ("sigmoid", d2l.sigmoid, d2l.sigmoid_grad, X),
    ("tanh", d2l.tanh, d2l.tanh_grad, X),
    ("GELU", d2l.gelu, d2l.gelu_grad, X),
])
def test_closed_form_derivative_matches_autograd(name, fn, grad, points):
    assert (grad(points) - autograd_derivative(fn, points)).abs().max().item() <= 1e-6, name


@pytest.mark.parametrize("alpha", ALPHAS)
def test_prelu_derivative_matches_autograd(alpha):
    expected = autograd_derivative(lambda x: d2l.prelu(x, alpha), AWAY_FROM_KINK)
    assert (d2l.prelu_grad(AWAY_FROM_KINK, alpha) - expected).abs().max().item() <= 1e-6


@pytest.mark.parametrize("beta", BETAS)
def test_swish_derivative_matches_autograd(beta):
    expected = autograd_derivative(lambda x: d2l.swish(x, beta), X)
    assert (d2l.swish_grad(X, beta) - expected).abs().max().item() <= 1e-6


def test_derivatives_match_torch_builtin_autograd():
    """The closed forms agree with the backward passes of torch's own modules too."""
    assert torch.allclose(d2l.gelu_grad(X), autograd_derivative(F.gelu, X), rtol=0, atol=1e-6)
    assert torch.allclose(d2l.swish_grad(X), autograd_derivative(F.silu, X), rtol=0, atol=1e-6)


def test_derivatives_at_the_kink_follow_autograd_convention():
    zero = torch.zeros(1, dtype=torch.float64)
    assert d2l.relu_grad(zero).item() == 0.0 == autograd_derivative(d2l.relu, zero).item()
    assert d2l.prelu_grad(zero, 0.25).item() == 0.25 == autograd_derivative(lambda x: d2l.prelu(x, 0.25), zero).item()


def test_known_values():
    assert d2l.sigmoid_grad(torch.zeros(1)).item() == 0.25
    assert d2l.tanh_grad(torch.zeros(1)).item() == 1.0
    assert d2l.gelu_grad(torch.zeros(1)).item() == 0.5
    assert math.isclose(d2l.gelu(torch.ones(1, dtype=torch.float64)).item(), 0.5 * (1 + math.erf(1 / math.sqrt(2))))


def test_dtype_and_shape_are_kept():
    x = torch.randn(3, 4)
    for fn in (d2l.relu, d2l.sigmoid, d2l.tanh, d2l.swish, d2l.gelu,
               d2l.relu_grad, d2l.sigmoid_grad, d2l.tanh_grad, d2l.swish_grad, d2l.gelu_grad):
        out = fn(x)
        assert out.dtype == torch.float32 and out.shape == (3, 4), fn.__name__
    assert d2l.prelu(x, 0.1).shape == d2l.prelu_grad(x, 0.1).shape == (3, 4)


def test_alpha_may_be_a_one_element_tensor():
    assert torch.equal(d2l.prelu(X, torch.tensor(0.25)), d2l.prelu(X, 0.25))


@pytest.mark.parametrize("bad_x", [[1.0, 2.0], 3.0, torch.arange(5)])
def test_non_float_tensor_input_raises_type_error(bad_x):
    with pytest.raises(TypeError, match="x must"):
        d2l.relu(bad_x)
    with pytest.raises(TypeError, match="x must"):
        d2l.gelu_grad(bad_x)
    d2l.set_language("zh")
    with pytest.raises(TypeError, match="x 必须是"):
        d2l.relu(bad_x)


@pytest.mark.parametrize(("fn", "name", "bad", "problem"), [
    (d2l.prelu, "alpha", float("nan"), "must be a finite number"),
    (d2l.prelu_grad, "alpha", float("inf"), "must be a finite number"),
    (d2l.prelu, "alpha", "0.1", "must be a real number"),
    (d2l.prelu, "alpha", True, "must be a real number"),
    (d2l.swish, "beta", float("nan"), "must be a finite number"),
    (d2l.swish_grad, "beta", None, "must be a real number"),
    (d2l.swish, "beta", torch.tensor([1.0, 2.0]), "must be a real number"),
])
def test_bad_parameter_raises_one_value_error_in_both_languages(fn, name, bad, problem):
    """One check and one exception type for every numeric parameter (``_checks.finite_real``)."""
    with pytest.raises(ValueError, match=f"^{name} {problem}"):
        fn(X, bad)
    d2l.set_language("zh")
    with pytest.raises(ValueError, match=f"^{name} 必须是"):
        fn(X, bad)
