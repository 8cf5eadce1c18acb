"""Activation functions and their derivatives written in closed form.

Each derivative is the formula from the chapter; the tests check it against autograd.
``x`` must be a floating-point tensor (TypeError otherwise); a parameter such as α or β must be a
finite real number (ValueError, from ``_checks.finite_real``). Messages follow ``set_language``.
"""
from __future__ import annotations

import math

import torch

from ._checks import finite_real
from .language import _

__all__ = [
    "relu", "prelu", "sigmoid", "tanh", "swish", "gelu",
    "relu_grad", "prelu_grad", "sigmoid_grad", "tanh_grad", "swish_grad", "gelu_grad",
]


def _tensor(x: torch.Tensor) -> torch.Tensor:
    """``x`` if it is a floating-point tensor, else a clear TypeError."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(_("x must be a torch.Tensor, e.g. torch.arange(-8.0, 8.0, 0.1), not {type}",
                          type=type(x).__name__))
    if not x.is_floating_point():
        raise TypeError(_("x must hold floating-point numbers (it holds {dtype}); use x.float()",
                          dtype=x.dtype))
    return x


def relu(x: torch.Tensor) -> torch.Tensor:
    """ReLU(x) = max(x, 0)."""
    return torch.relu(_tensor(x))


def relu_grad(x: torch.Tensor) -> torch.Tensor:
    """ReLU'(x): 1 where x > 0, else 0 (0 at x = 0, as autograd uses)."""
    return (_tensor(x) > 0).to(x.dtype)


def prelu(x: torch.Tensor, alpha: float) -> torch.Tensor:
    """pReLU(x) = max(0, x) + α·min(0, x) with a fixed scalar α."""
    alpha = finite_real(alpha, "alpha")
    # The same values as torch.where(x > 0, x, alpha * x), with one fused kernel for each direction.
    return torch.nn.functional.leaky_relu(_tensor(x), alpha)


def prelu_grad(x: torch.Tensor, alpha: float) -> torch.Tensor:
    """pReLU'(x): 1 where x > 0, else α."""
    alpha = finite_real(alpha, "alpha")
    x = _tensor(x)
    return torch.where(x > 0, torch.ones_like(x), torch.full_like(x, alpha))


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """sigmoid(x) = 1 / (1 + exp(-x))."""
    return torch.sigmoid(_tensor(x))


def sigmoid_grad(x: torch.Tensor) -> torch.Tensor:
    """sigmoid'(x) = sigmoid(x)·(1 − sigmoid(x))."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x: torch.Tensor) -> torch.Tensor:
    """tanh(x) = (1 − exp(−2x)) / (1 + exp(−2x))."""
    return torch.tanh(_tensor(x))


def tanh_grad(x: torch.Tensor) -> torch.Tensor:
    """tanh'(x) = 1 − tanh²(x)."""
    return 1 - tanh(x) ** 2


def swish(x: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """Swish(x) = x·sigmoid(βx) (β = 1 is SiLU)."""
    beta = finite_real(beta, "beta")
    return x * sigmoid(beta * _tensor(x))


def swish_grad(x: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """Swish'(x) = s + βx·s·(1 − s) with s = sigmoid(βx)."""
    beta = finite_real(beta, "beta")
    s = sigmoid(beta * _tensor(x))
    return s + beta * x * s * (1 - s)


def gelu(x: torch.Tensor) -> torch.Tensor:
    """GELU(x) = x·Φ(x), Φ the standard normal CDF (exact erf form, torch's default)."""
    x = _tensor(x)
    return x * 0.5 * (1 + torch.erf(x / math.sqrt(2)))


def gelu_grad(x: torch.Tensor) -> torch.Tensor:
    """GELU'(x) = Φ(x) + x·φ(x), φ the standard normal density."""
    x = _tensor(x)
    cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    pdf = torch.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
    return cdf + x * pdf
