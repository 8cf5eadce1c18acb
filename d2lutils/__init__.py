"""d2lutils: the small shared module of the bilingual *Multilayer Perceptrons* book.

Use it as learners of d2l-zh know it::

    import d2lutils as d2l
    train_iter, test_iter = d2l.load_data_fashion_mnist(256)

Modules by concern: ``data``, ``plotting``, ``training``, ``activations``, ``widgets`` (the
sliders), ``playground`` (the in-browser training widget, and its network to and from PyTorch),
``questions`` and ``exercises`` (what the learner can check), ``language`` (English or Chinese:
``_("English text")`` looks the text up in the Chinese catalog ``zh``), ``fonts`` (a CJK font
for matplotlib); ``config`` holds the book's hyperparameters and data locations.

Only what the chapters use, and d2l-zh's names, are exported here. Settings such as the data
folders live in their module and are changed there (``d2lutils.config.DEFAULT_DATA_ROOT = ...``).
"""
from .config import HP
from .language import get_language, set_language
from .data import (FashionMNISTError, TensorLoader, find_fashion_mnist, get_fashion_mnist_labels,
                   load_data_fashion_mnist, split_validation)
from .plotting import *  # noqa: F401,F403
from .training import (Accumulator, History, Timer, TrainingDiverged, accuracy, evaluate_accuracy,
                       predict_ch3, set_seed, sgd, train_ch3, train_epoch_ch3, try_gpu)
from .activations import (gelu, gelu_grad, prelu, prelu_grad, relu, relu_grad, sigmoid, sigmoid_grad,
                          swish, swish_grad, tanh, tanh_grad)
from .widgets import activation_slider, frame_slider
from .questions import question
from .exercises import exercise
from .playground import Playground, Swish

__version__ = "0.1.0"
