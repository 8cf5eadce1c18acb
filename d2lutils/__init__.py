"""d2lutils: the small shared module of the bilingual *Multilayer Perceptrons* book.

Use it as learners of d2l-zh know it::

    import d2lutils as d2l
    train_iter, test_iter = d2l.load_data_fashion_mnist(256)

Modules by concern: ``data``, ``plotting``, ``training``, ``activations``, ``widgets``,
``language``; ``config`` holds the book's hyperparameters and data locations.
"""
from __future__ import annotations

from .config import *  # noqa: F401,F403
from .language import *  # noqa: F401,F403
from .data import *  # noqa: F401,F403
from .plotting import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from .widgets import *  # noqa: F401,F403

__version__ = "0.1.0"
