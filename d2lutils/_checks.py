"""One check for each kind of argument a learner passes, with one exception type: ValueError.

Messages are written in English through ``language._`` (the Chinese is in ``zh.py``), so they
follow ``set_language``.
"""
from __future__ import annotations

import math
import numbers
import operator
from typing import Any

import torch

from .language import _

__all__ = ["finite_real", "whole_number"]


def finite_real(value: Any, name: str) -> float:
    """``value`` (a real number or a one-element tensor) as a finite float, else ValueError naming ``name``."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(_("{name} must be a real number such as 0.25, not {value!r} (a {type})",
                           name=name, value=value, type=type(value).__name__))
    if not math.isfinite(value):
        raise ValueError(_("{name} must be a finite number, not {value}", name=name, value=value))
    return float(value)


def whole_number(value: Any, name: str, minimum: int = 1) -> int:
    """``value`` (an integer, not a bool) as an int of at least ``minimum``, else ValueError naming ``name``."""
    try:
        if isinstance(value, bool):
            raise TypeError
        number = operator.index(value)
    except TypeError:
        number = None
    if number is None or number < minimum:
        raise ValueError(_("{name} must be an integer of at least {minimum}, not {value!r}",
                           name=name, value=value, minimum=minimum))
    return number
