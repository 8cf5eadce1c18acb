"""The book's shared facts: hyperparameters and data locations, kept in one place.

The repository URL lives in ``_config.yml`` (the book's config); tools and tests read it there.
The data locations are read when data is looked for, so change them here, e.g.
``d2lutils.config.DEFAULT_DATA_ROOT = Path("data")``; ``d2l`` exports only ``HP``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATA_ENV_VAR", "DEBIAN_FASHION_MNIST_DIR", "DEFAULT_DATA_ROOT", "Hyperparameters", "HP"]

#: Environment variable naming a folder that holds Fashion-MNIST (see ``load_data_fashion_mnist``).
DATA_ENV_VAR = "D2LUTILS_DATA"
#: Where Debian's ``dataset-fashion-mnist`` package installs the four ``.gz`` files.
DEBIAN_FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
#: Default download / cache root, as in d2l-zh (relative to the working directory).
DEFAULT_DATA_ROOT = Path("../data")


@dataclass(frozen=True)
class Hyperparameters:
    """The book's MLP on Fashion-MNIST: sizes, initialisation, training and the accuracy it reaches."""

    num_inputs: int = 784
    num_hiddens: int = 256
    num_outputs: int = 10
    init_std: float = 0.01
    batch_size: int = 256
    lr: float = 0.1
    num_epochs: int = 10
    #: Test accuracy the book asserts after ``num_epochs`` (d2l reports about 0.85).
    min_test_acc: float = 0.84
    seed: int = 0


#: ``d2l.HP``: the hyperparameters every chapter, test and benchmark uses.
HP = Hyperparameters()
