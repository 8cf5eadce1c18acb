"""Fashion-MNIST that loads offline, checks itself and iterates fast.

``load_data_fashion_mnist`` keeps d2l-zh's name and results (pixel values identical to
torchvision's ``ToTensor``) but holds the uint8 images in memory and slices mini-batches from
them: no worker processes, no per-sample work. Where the files come from is decided by
``find_fashion_mnist``, in this order:

1. the ``root`` argument;
2. the folder named by the environment variable ``D2LUTILS_DATA``;
3. the default root ``../data`` (torchvision's layout ``../data/FashionMNIST/raw/``);
4. Debian's ``dataset-fashion-mnist`` package (``/usr/share/datasets/fashion-mnist/``);
5. a download with torchvision's own ``FashionMNIST(download=True)`` (its mirrors, md5 checks and
   progress) into ``<root>/FashionMNIST/raw/``, where ``<root>`` is the ``root`` argument, else
   ``D2LUTILS_DATA``, else ``../data``. It downloads into a temporary folder there; each file is
   checked, then renamed into place, so an interrupted download leaves no file under a final name.

A folder counts when it holds the four idx files, uncompressed or ``.gz``, either directly or
in ``FashionMNIST/raw/``. Every file is checked (idx header, sizes, labels, SHA-256 of the
uncompressed bytes) before its contents are used. ``split_validation`` holds out a fixed part of
the training examples for choosing settings. Messages follow ``set_language``.
"""
from __future__ import annotations

import gzip
import hashlib
import math
import os
import shutil
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Optional, Sequence, Tuple, Union

import torch
from torch.nn import functional as F

from . import config
from ._checks import whole_number
from .language import N_, _

__all__ = [
    "FashionMNISTError",
    "FashionMNISTSource",
    "TensorLoader",
    "find_fashion_mnist",
    "load_data_fashion_mnist",
    "split_validation",
    "get_fashion_mnist_labels",
]

PathLike = Union[str, "os.PathLike[str]"]
Resize = Union[int, Sequence[int], None]

#: The package that installs the files on Debian/Ubuntu.
_DEBIAN_PACKAGE = "dataset-fashion-mnist"


class FashionMNISTError(RuntimeError):
    """Fashion-MNIST is missing, damaged or cannot be downloaded; the message says what to do."""


@dataclass(frozen=True)
class _IdxFile:
    """Facts about one original Fashion-MNIST file (uncompressed)."""

    name: str
    magic: int  # 2051 for images (idx3, uint8), 2049 for labels (idx1, uint8)
    count: int
    sha256: str

    @property
    def is_images(self) -> bool:
        return self.magic == 2051

    @property
    def header_size(self) -> int:
        return 16 if self.is_images else 8

    @property
    def size(self) -> int:
        return self.header_size + self.count * (28 * 28 if self.is_images else 1)


# SHA-256 of the original uncompressed files (the same bytes torchvision's mirrors serve gzipped).
_FILES = {
    f.name: f
    for f in (
        _IdxFile("train-images-idx3-ubyte", 2051, 60000,
                 "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        _IdxFile("train-labels-idx1-ubyte", 2049, 60000,
                 "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        _IdxFile("t10k-images-idx3-ubyte", 2051, 10000,
                 "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        _IdxFile("t10k-labels-idx1-ubyte", 2049, 10000,
                 "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    )
}
_SPLITS = {True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
           False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}

# Parsed (images, labels) per split, keyed by the files' paths, sizes and modification times.
_CACHE: dict[tuple, Tuple[torch.Tensor, torch.Tensor]] = {}


@dataclass(frozen=True)
class FashionMNISTSource:
    """Where Fashion-MNIST was found: ``kind`` is root, env, default, debian or download."""

    kind: str
    folder: Path
    files: Mapping[str, Path] = field(repr=False)

    def __str__(self) -> str:
        return _("Fashion-MNIST from {folder} ({kind})", folder=self.folder, kind=_kind_label(self.kind))


def _kind_label(kind: str) -> str:
    """Where a source kind comes from, in words of the current language."""
    return _(_SOURCE_KINDS[kind], env_var=config.DATA_ENV_VAR, package=_DEBIAN_PACKAGE)


#: The ten classes, in label order (translated when shown).
FASHION_MNIST_CLASSES = (N_("t-shirt"), N_("trouser"), N_("pullover"), N_("dress"), N_("coat"),
                         N_("sandal"), N_("shirt"), N_("sneaker"), N_("bag"), N_("ankle boot"))

#: Where a copy of the data was found, by source kind (translated when shown).
_SOURCE_KINDS = {
    "root": N_("the root argument"),
    "env": N_("the environment variable {env_var}"),
    "default": N_("the default folder"),
    "debian": N_("Debian's package {package}"),
    "download": N_("downloaded"),
}


# ---------------------------------------------------------------- finding the files
def _files_in(folder: Path) -> Optional[dict[str, Path]]:
    """The four files in ``folder`` or ``folder/FashionMNIST/raw`` (uncompressed preferred), or None."""
    for base in (folder, folder / "FashionMNIST" / "raw"):
        found = {}
        for name in _FILES:
            for candidate in (base / name, base / f"{name}.gz"):
                if candidate.is_file():
                    found[name] = candidate
                    break
        if len(found) == len(_FILES):
            return found
    return None


def _candidates(root: Optional[PathLike]) -> list[tuple[str, Path]]:
    """(kind, folder) pairs in search order; a kind that is not configured is left out."""
    places = []
    if root is not None:
        places.append(("root", Path(root).expanduser()))
    env = os.environ.get(config.DATA_ENV_VAR, "").strip()
    if env:
        places.append(("env", Path(env).expanduser()))
    places.append(("default", Path(config.DEFAULT_DATA_ROOT)))
    places.append(("debian", Path(config.DEBIAN_FASHION_MNIST_DIR)))
    return places


def find_fashion_mnist(root: Optional[PathLike] = None, download: bool = True) -> FashionMNISTSource:
    """Locate the four Fashion-MNIST files (see the module docstring for the order); download if needed."""
    places = _candidates(root)
    for kind, folder in places:
        files = _files_in(folder)
        if files is not None:
            return FashionMNISTSource(kind, folder.absolute(), files)
    target = (places[0][1] / "FashionMNIST" / "raw").absolute()  # root, else env, else default
    if not download:
        raise FashionMNISTError(_missing_message(places, target, _("downloading was not allowed")))
    _download(target, places)
    files = _files_in(target)
    assert files is not None, target  # _download raised, or put the four checked files there
    return FashionMNISTSource("download", target, files)


def _missing_message(places: list[tuple[str, Path]], target: Path, reason: str) -> str:
    """The one message for 'not found and not downloadable': where we looked, what to do."""
    looked = "\n".join(_("  - {folder} ({kind})", folder=folder.absolute(), kind=_kind_label(kind))
                       for kind, folder in places)
    return _("Fashion-MNIST was not found and could not be downloaded ({reason}).\n"
             "Looked for the four files ({names}, each uncompressed or .gz) in these folders and in their "
             "FashionMNIST/raw/ subfolders:\n"
             "{looked}\n"
             "Get the data in one of these ways:\n"
             "  1. Debian/Ubuntu: sudo apt-get install {package}\n"
             "  2. Put the four files in a folder and set the environment variable {env_var} to it, "
             "or pass root=<that folder>.\n"
             "  3. Run this once on a machine with internet: the files are downloaded to {target}.",
             reason=reason, names=_(", ").join(_FILES), looked=looked, package=_DEBIAN_PACKAGE,
             env_var=config.DATA_ENV_VAR, target=target)


# ---------------------------------------------------------------- checking the files
def _fix_hint(path: Path) -> str:
    """How to repair a damaged file, depending on where it lives."""
    if Path(config.DEBIAN_FASHION_MNIST_DIR).absolute() in path.absolute().parents:
        return _("Reinstall the package: sudo apt-get install --reinstall {package}", package=_DEBIAN_PACKAGE)
    return _("Delete it and run again: the next call uses another source or re-downloads it, "
             "or put the original file in its place.")


def _problem(spec: _IdxFile, raw: bytes) -> Optional[str]:
    """What is wrong with ``raw`` as the original uncompressed ``spec`` file, or None."""
    if len(raw) < spec.header_size:
        return _("is truncated: {size} bytes, expected {expected}", size=len(raw), expected=spec.size)
    header = [int.from_bytes(raw[i:i + 4], "big") for i in range(0, spec.header_size, 4)]
    if header[0] != spec.magic:
        if spec.is_images:
            return _("is not an idx file of images (magic number {magic}, expected {expected})",
                     magic=header[0], expected=spec.magic)
        return _("is not an idx file of labels (magic number {magic}, expected {expected})",
                 magic=header[0], expected=spec.magic)
    if header[1] != spec.count:
        return _("holds {count} items, expected {expected}", count=header[1], expected=spec.count)
    if spec.is_images and header[2:] != [28, 28]:
        return _("holds {height}x{width} images, expected 28x28", height=header[2], width=header[3])
    if len(raw) != spec.size:
        if len(raw) < spec.size:
            return _("is truncated: {size} bytes, expected {expected}", size=len(raw), expected=spec.size)
        return _("is too long: {size} bytes, expected {expected}", size=len(raw), expected=spec.size)
    if not spec.is_images and max(raw[spec.header_size:]) > 9:
        return _("holds the label {label}; labels are 0 to 9", label=max(raw[spec.header_size:]))
    digest = hashlib.sha256(raw).hexdigest()
    if digest != spec.sha256:
        return _("differs from the original (SHA-256 {digest}, expected {expected})",
                 digest=digest, expected=spec.sha256)
    return None


def _read(spec: _IdxFile, path: Path) -> bytes:
    """The checked, uncompressed contents of one file."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise FashionMNISTError(_("Fashion-MNIST file {path} is not a complete gzip "
                                      "file ({error}). {fix}",
                                      path=path, error=err, fix=_fix_hint(path))) from None
    problem = _problem(spec, data)
    if problem:
        raise FashionMNISTError(_("Fashion-MNIST file {path} {problem}. {fix}",
                                  path=path, problem=problem, fix=_fix_hint(path)))
    return data


def _load_split(source: FashionMNISTSource, train: bool) -> Tuple[torch.Tensor, torch.Tensor]:
    """uint8 images [N, 1, 28, 28] and int64 labels [N] of one split, cached per process."""
    paths = [source.files[name] for name in _SPLITS[train]]
    stats = [p.stat() for p in paths]
    key = tuple((str(p.absolute()), st.st_size, st.st_mtime_ns) for p, st in zip(paths, stats))
    if key not in _CACHE:
        labels_raw = _read(_FILES[_SPLITS[train][1]], paths[1])  # the small file first
        images_raw = _read(_FILES[_SPLITS[train][0]], paths[0])
        images = torch.frombuffer(bytearray(images_raw), dtype=torch.uint8)[16:].view(-1, 1, 28, 28)
        labels = torch.frombuffer(bytearray(labels_raw), dtype=torch.uint8)[8:].to(torch.int64)
        _CACHE[key] = (images, labels)
    return _CACHE[key]


# ---------------------------------------------------------------- downloading
def _download(target: Path, places: list[tuple[str, Path]]) -> None:
    """Download the four files with torchvision into ``target``, each checked before it is renamed there.

    torchvision's ``FashionMNIST(download=True)`` tries its mirrors, checks the md5 of each ``.gz``
    and unpacks it, here into a temporary folder inside ``target``; the folder is removed afterwards.
    """
    from torchvision.datasets import FashionMNIST  # imported here: only a download needs it

    def fail(reason: str) -> FashionMNISTError:
        return FashionMNISTError(_missing_message(places, target, reason))

    try:
        target.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target, prefix=".download-"))
    except OSError as err:
        raise fail(_("cannot create {target}: {error}", target=target, error=err)) from None
    try:
        print(_("Downloading Fashion-MNIST to {target} (with torchvision)", target=target), file=sys.stderr)
        error: Optional[Exception] = None
        try:
            FashionMNIST(str(staging), train=False, download=True)
        except Exception as err:  # noqa: BLE001  what torchvision raises differs between versions
            error = err
        raw = staging / "FashionMNIST" / "raw"
        for name, spec in _FILES.items():
            if not (raw / name).is_file():
                raise fail(_("the download failed: {error}", error=str(error).strip()) if error is not None
                           else _("torchvision's FashionMNIST does not list {name}", name=name))
            # Checked even after an error: when all four files arrived, the check says what is wrong.
            problem = _problem(spec, (raw / name).read_bytes())
            if problem is not None:
                raise fail(_("the downloaded {name} {problem}; it was not saved", name=name, problem=problem))
        for name in _FILES:  # all four checked: now move them under their final names
            os.replace(raw / name, target / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# ---------------------------------------------------------------- iterating
#: Largest float32 copy of the images a ``TensorLoader`` keeps (bytes): Fashion-MNIST's 60,000
#: training images take 188 MB; resized to 64 × 64 they would take 983 MB and are converted per batch.
FLOAT_COPY_LIMIT = 512 * 2**20


class TensorLoader:
    """Mini-batches ``(X float32 [B,1,H,W] in [0,1], y int64)`` from uint8 images held in memory.

    ``X`` equals torchvision's ``ToTensor`` (``uint8 / 255``). The images are converted to float32
    once, on the first pass, when the copy is at most ``FLOAT_COPY_LIMIT`` bytes; every minibatch is
    then one gather (or copy) of rows. Each ``X`` is a new tensor. With ``shuffle=True`` each epoch
    visits every example once in a new order drawn with ``torch.randperm`` (torch's global RNG).
    Loaders made by ``rebatched`` and ``split_validation`` share that float32 copy.
    """

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, batch_size: int,
                 shuffle: bool = False) -> None:
        if not isinstance(images, torch.Tensor) or images.dtype != torch.uint8 or images.dim() != 4:
            raise ValueError(_("images must be a uint8 tensor [N, C, H, W], not {dtype} {shape}",
                               dtype=getattr(images, "dtype", type(images).__name__),
                               shape=list(getattr(images, "shape", []))))
        if not isinstance(labels, torch.Tensor) or labels.dim() != 1 or len(labels) != len(images):
            raise ValueError(_("labels must be a 1-D tensor with one label per image ({count}), "
                               "not of shape {shape}",
                               count=len(images), shape=list(getattr(labels, "shape", []))))
        self.images = images
        self.labels = labels
        self.batch_size = _check_batch_size(batch_size)
        self.shuffle = bool(shuffle)
        self._floats: Optional[torch.Tensor] = None  # float32 images in [0, 1], made on the first pass
        # Which rows of ``_floats`` are this loader's examples (None: all of them, in order). Set when
        # ``_floats`` is shared with the loader this one was split from.
        self._rows: Optional[torch.Tensor] = None

    @property
    def num_examples(self) -> int:
        """How many examples one epoch visits."""
        return len(self.labels)

    @property
    def device(self) -> torch.device:
        """Where the batches are."""
        return self.images.device

    def __len__(self) -> int:
        return math.ceil(self.num_examples / self.batch_size)

    def _pixels(self) -> Tuple[torch.Tensor, Optional[torch.Tensor], bool]:
        """The images to cut batches from, the rows of them that are this loader's (None: all, in
        order), and whether they are already float32 in [0, 1]."""
        if self._floats is None and self.images.numel() * 4 <= FLOAT_COPY_LIMIT:
            self._floats = self.images.to(torch.float32).div_(255)
            self._rows = None
        if self._floats is None:
            return self.images, None, False
        return self._floats, self._rows, True

    def __iter__(self) -> Iterator[Tuple[torch.Tensor, torch.Tensor]]:
        n, size = self.num_examples, self.batch_size
        pixels, rows, converted = self._pixels()
        order = torch.randperm(n).to(self.device) if self.shuffle else None
        for start in range(0, n, size):
            if order is None:
                y = self.labels[start:start + size]
                if rows is not None:
                    X = pixels.index_select(0, rows[start:start + size])
                else:
                    X = pixels[start:start + size]
                    X = X.clone() if converted else X  # a new tensor, as a gathered batch is
            else:
                chosen = order[start:start + size]
                y = self.labels.index_select(0, chosen)
                X = pixels.index_select(0, chosen if rows is None else rows.index_select(0, chosen))
            yield (X if converted else X.to(torch.float32).div_(255)), y

    def _sharing(self, images: torch.Tensor, labels: torch.Tensor, batch_size: int, shuffle: bool,
                 rows: Optional[torch.Tensor]) -> "TensorLoader":
        """A loader over ``images`` (rows ``rows`` of this loader's examples, None: all of them) that
        shares this loader's float32 copy."""
        self._pixels()  # convert now (when it fits), so that both loaders use the one copy
        loader = TensorLoader(images, labels, batch_size, shuffle)
        if self._floats is not None:
            loader._floats = self._floats
            if rows is not None:
                loader._rows = rows if self._rows is None else self._rows.index_select(0, rows)
            else:
                loader._rows = self._rows
        return loader

    def rebatched(self, batch_size: int, shuffle: bool = False) -> "TensorLoader":
        """A loader over the same examples with another batch size, sharing the float32 copy."""
        return self._sharing(self.images, self.labels, batch_size, shuffle, None)

    def to(self, device: Union[str, torch.device]) -> "TensorLoader":
        """A loader over the same examples with its tensors moved (once) to ``device`` (itself if there)."""
        if torch.device(device) == self.device:
            return self
        return TensorLoader(self.images.to(device), self.labels.to(device), self.batch_size,
                            self.shuffle)

    def __repr__(self) -> str:
        shape = list(self.images.shape[1:])
        return (f"TensorLoader({self.num_examples} examples of {shape}, batch_size="
                f"{self.batch_size}, shuffle={self.shuffle}, device={self.device})")


def split_validation(train_iter: TensorLoader, num_valid: int = 10_000,
                     seed: int = config.HP.seed) -> Tuple[TensorLoader, TensorLoader]:
    """Hold out ``num_valid`` examples of ``train_iter`` for validation: (train loader, valid loader).

    The split is drawn from ``seed`` alone (not from torch's global random state), so it is the
    same in every run; the two parts are disjoint and together hold every example of ``train_iter``.
    The train part is shuffled each epoch, the validation part is not; both keep the batch size of
    ``train_iter`` and share its float32 copy of the images (the uint8 images are copied, a quarter
    of the size).
    """
    if not isinstance(train_iter, TensorLoader):
        raise TypeError(_("split_validation needs a d2l.TensorLoader (what load_data_fashion_mnist "
                          "returns), not a {type}",
                          type=type(train_iter).__name__))
    n = train_iter.num_examples
    num_valid = whole_number(num_valid, "num_valid")
    if num_valid >= n:
        raise ValueError(_("num_valid={num_valid} leaves no training examples: the loader holds {n}; "
                           "choose num_valid below {n}",
                           num_valid=num_valid, n=n))
    seed = whole_number(seed, "seed", minimum=0)
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    parts = []
    for rows, shuffle in ((order[num_valid:], True), (order[:num_valid], False)):
        rows = rows.sort().values  # the examples in their original order
        on_device = rows.to(train_iter.device)
        parts.append(train_iter._sharing(train_iter.images.index_select(0, on_device),
                                         train_iter.labels.index_select(0, on_device),
                                         train_iter.batch_size, shuffle, on_device))
    return parts[0], parts[1]


def _check_batch_size(batch_size: int) -> int:
    """``batch_size`` as an int, or ValueError."""
    return whole_number(batch_size, "batch_size")


def _check_resize(resize: Resize) -> Optional[Tuple[int, int]]:
    """``resize`` as (height, width), None for no resizing, or ValueError."""
    if resize is None:
        return None
    sizes = [resize] if not isinstance(resize, (tuple, list)) else list(resize)
    if len(sizes) not in (1, 2) or any(
            isinstance(s, bool) or not isinstance(s, int) or s <= 0 for s in sizes):
        raise ValueError(_("resize must be None, a positive int or a pair (height, width) of positive "
                           "ints, not {resize!r}",
                           resize=resize))
    return (sizes[0], sizes[-1])


def _resize(images: torch.Tensor, size: Tuple[int, int]) -> torch.Tensor:
    """Bilinear, antialiased resizing of uint8 images, as torchvision's ``Resize`` on PIL images."""
    if tuple(images.shape[-2:]) == size:
        return images
    out = torch.empty(len(images), images.shape[1], *size, dtype=torch.uint8)
    for start in range(0, len(images), 4096):  # bounded memory for large sizes
        chunk = images[start:start + 4096]
        try:  # torch's native uint8 kernel follows Pillow's fixed-point arithmetic
            out[start:start + 4096] = F.interpolate(chunk, size=size, mode="bilinear",
                                                    align_corners=False, antialias=True)
        except (RuntimeError, NotImplementedError):  # older torch: no uint8 kernel
            resized = F.interpolate(chunk.float(), size=size, mode="bilinear",
                                    align_corners=False, antialias=True)
            out[start:start + 4096] = resized.round_().clamp_(0, 255).to(torch.uint8)
    return out


def load_data_fashion_mnist(batch_size: int, resize: Resize = None,
                            root: Optional[PathLike] = None) -> Tuple[TensorLoader, TensorLoader]:
    """Fashion-MNIST as (shuffled train loader, test loader), d2l-zh's function without workers.

    ``resize`` (an int or (height, width)) resizes once at load time; ``root`` names a folder
    holding the data (see ``find_fashion_mnist`` for where else it is looked for).
    """
    batch_size = _check_batch_size(batch_size)
    size = _check_resize(resize)
    source = find_fashion_mnist(root)
    loaders = []
    for train in (True, False):
        images, labels = _load_split(source, train)
        if size is not None:
            images = _resize(images, size)
        loaders.append(TensorLoader(images, labels, batch_size, shuffle=train))
    return loaders[0], loaders[1]


def get_fashion_mnist_labels(labels: Iterable) -> list[str]:
    """Text labels for numeric ones, in the current language (see ``set_language``)."""
    values = labels.tolist() if isinstance(labels, torch.Tensor) else list(labels)
    result = []
    for value in values:
        try:
            index = int(value)
        except (TypeError, ValueError):
            index = None
        if index is None or index != value or not 0 <= index < 10:
            raise ValueError(_("Fashion-MNIST labels are integers 0 to 9, not {value!r}", value=value))
        result.append(_(FASHION_MNIST_CLASSES[index]))
    return result
