"""Fashion-MNIST that loads offline, checks itself and iterates fast.

``load_data_fashion_mnist`` keeps d2l-zh's name and results (pixel values identical to
torchvision's ``ToTensor``) but holds the uint8 images in memory and slices mini-batches from
them: no worker processes, no per-sample work. Where the files come from is decided by
``find_fashion_mnist``, in this order:

1. the ``root`` argument;
2. the folder named by the environment variable ``D2LUTILS_DATA``;
3. the default root ``../data`` (torchvision's layout ``../data/FashionMNIST/raw/``);
4. Debian's ``dataset-fashion-mnist`` package (``/usr/share/datasets/fashion-mnist/``);
5. a download (mirrors from torchvision) into ``<root>/FashionMNIST/raw/``, where ``<root>``
   is the ``root`` argument, else ``D2LUTILS_DATA``, else ``../data``.

A folder counts when it holds the four idx files, uncompressed or ``.gz``, either directly or
in ``FashionMNIST/raw/``. Every file is checked (idx header, sizes, labels, SHA-256 of the
uncompressed bytes) before its contents are used.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import math
import operator
import os
import sys
import tempfile
import urllib.request
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Optional, Sequence, Tuple, Union

import torch
from torch.nn import functional as F

from . import config, language

__all__ = [
    "FashionMNISTError",
    "FashionMNISTSource",
    "TensorLoader",
    "find_fashion_mnist",
    "load_data_fashion_mnist",
    "get_fashion_mnist_labels",
]

PathLike = Union[str, "os.PathLike[str]"]
Resize = Union[int, Sequence[int], None]

#: The package that installs the files on Debian/Ubuntu.
_DEBIAN_PACKAGE = "dataset-fashion-mnist"
#: Seconds to wait for a mirror before giving up on it.
_DOWNLOAD_TIMEOUT = 30


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

_TEXT_LABELS = {
    "en": ("t-shirt", "trouser", "pullover", "dress", "coat",
           "sandal", "shirt", "sneaker", "bag", "ankle boot"),
    "zh": ("T恤", "裤子", "套衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包", "短靴"),
}

# The opener used for downloads; tests replace it to simulate the network.
_urlopen = urllib.request.urlopen

# Parsed (images, labels) per split, keyed by the files' paths, sizes and modification times.
_CACHE: dict[tuple, Tuple[torch.Tensor, torch.Tensor]] = {}


@dataclass(frozen=True)
class FashionMNISTSource:
    """Where Fashion-MNIST was found: ``kind`` is root, env, default, debian or download."""

    kind: str
    folder: Path
    files: Mapping[str, Path] = field(repr=False)

    def __str__(self) -> str:
        return f"Fashion-MNIST from {self.folder} ({self.kind})"


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
        raise FashionMNISTError(_missing_message(places, target, "downloading was not allowed"))
    _download(target, places)
    files = _files_in(target)
    if files is None:  # torchvision no longer lists one of the four files
        raise FashionMNISTError(_missing_message(places, target, "the mirrors lack a file"))
    return FashionMNISTSource("download", target, files)


def _missing_message(places: list[tuple[str, Path]], target: Path, reason: str) -> str:
    """The one message for 'not found and not downloadable': where we looked, what to do."""
    names = ", ".join(_FILES)
    looked = "\n".join(f"  - {folder.absolute()} ({kind})" for kind, folder in places)
    return (
        f"Fashion-MNIST was not found and could not be downloaded ({reason}).\n"
        f"Looked for the four files ({names}, each uncompressed or .gz) in these folders "
        f"and in their FashionMNIST/raw/ subfolders:\n{looked}\n"
        "Get the data in one of these ways:\n"
        f"  1. Debian/Ubuntu: sudo apt-get install {_DEBIAN_PACKAGE}\n"
        f"  2. Put the four files in a folder and set the environment variable "
        f"{config.DATA_ENV_VAR} to it, or pass root=<that folder>.\n"
        f"  3. Run this once on a machine with internet: the files are downloaded to {target}."
    )


# ---------------------------------------------------------------- checking the files
def _fix_hint(path: Path) -> str:
    """How to repair a damaged file, depending on where it lives."""
    if Path(config.DEBIAN_FASHION_MNIST_DIR).absolute() in path.absolute().parents:
        return f"Reinstall the package: sudo apt-get install --reinstall {_DEBIAN_PACKAGE}"
    return ("Delete it and run again: the next call uses another source or re-downloads it, "
            "or put the original file in its place.")


def _problem(spec: _IdxFile, raw: bytes) -> Optional[str]:
    """What is wrong with ``raw`` as the original uncompressed ``spec`` file, or None."""
    if len(raw) < spec.header_size:
        return f"is truncated: {len(raw)} bytes, expected {spec.size}"
    header = [int.from_bytes(raw[i:i + 4], "big") for i in range(0, spec.header_size, 4)]
    if header[0] != spec.magic:
        kind = "images" if spec.is_images else "labels"
        return f"is not an idx file of {kind} (magic number {header[0]}, expected {spec.magic})"
    if header[1] != spec.count:
        return f"holds {header[1]} items, expected {spec.count}"
    if spec.is_images and header[2:] != [28, 28]:
        return f"holds {header[2]}x{header[3]} images, expected 28x28"
    if len(raw) != spec.size:
        state = "is truncated" if len(raw) < spec.size else "is too long"
        return f"{state}: {len(raw)} bytes, expected {spec.size}"
    if not spec.is_images and max(raw[spec.header_size:]) > 9:
        return f"holds the label {max(raw[spec.header_size:])}; labels are 0 to 9"
    digest = hashlib.sha256(raw).hexdigest()
    if digest != spec.sha256:
        return f"differs from the original (SHA-256 {digest}, expected {spec.sha256})"
    return None


def _read(spec: _IdxFile, path: Path) -> bytes:
    """The checked, uncompressed contents of one file."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise FashionMNISTError(f"Fashion-MNIST file {path} is not a complete gzip file "
                                    f"({err}). {_fix_hint(path)}") from None
    problem = _problem(spec, data)
    if problem:
        raise FashionMNISTError(f"Fashion-MNIST file {path} {problem}. {_fix_hint(path)}")
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
def _fetch(url: str) -> bytes:
    """The body of ``url`` (raises what urllib raises)."""
    request = urllib.request.Request(url, headers={"User-Agent": "d2lutils"})
    body = io.BytesIO()
    with _urlopen(request, timeout=_DOWNLOAD_TIMEOUT) as response:
        while chunk := response.read(1 << 20):
            body.write(chunk)
    return body.getvalue()


def _write_atomically(data: bytes, final: Path) -> None:
    """Write ``data`` under a temporary name next to ``final``, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _download(target: Path, places: list[tuple[str, Path]]) -> None:
    """Download the missing files from torchvision's mirrors into ``target``, each checked first."""
    from torchvision.datasets import FashionMNIST  # the mirrors and file names torchvision knows

    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise FashionMNISTError(_missing_message(places, target, f"cannot create {target}: {err}")) from None
    for archive, _md5 in FashionMNIST.resources:
        name = archive[:-3] if archive.endswith(".gz") else archive
        final = target / name
        if name not in _FILES or final.is_file():
            continue
        problems = []
        for mirror in FashionMNIST.mirrors:
            url = f"{mirror}{archive}"
            print(f"Downloading {url} to {target}", file=sys.stderr)
            try:
                body = _fetch(url)
                data = gzip.decompress(body) if archive.endswith(".gz") else body
                problem = _problem(_FILES[name], data)
                if problem is None:
                    _write_atomically(data, final)
                    break
                problems.append(f"{url} {problem}")
            except (OSError, EOFError, zlib.error) as err:  # URLError is an OSError
                problems.append(f"{url}: {err}")
        else:
            raise FashionMNISTError(_missing_message(places, target, "; ".join(problems))) from None


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
    """

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, batch_size: int,
                 shuffle: bool = False) -> None:
        if images.dtype != torch.uint8 or images.dim() != 4:
            raise ValueError(f"images must be a uint8 tensor [N, C, H, W], got {images.dtype} "
                             f"{list(images.shape)}")
        if labels.dim() != 1 or len(labels) != len(images):
            raise ValueError(f"labels must be a 1-D tensor with one label per image "
                             f"({len(images)}), got shape {list(labels.shape)}")
        self.images = images
        self.labels = labels
        self.batch_size = _check_batch_size(batch_size)
        self.shuffle = bool(shuffle)
        self._floats: Optional[torch.Tensor] = None  # images / 255 as float32, made on the first pass

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

    def _pixels(self) -> Tuple[torch.Tensor, bool]:
        """The images to cut batches from, and whether they are already float32 in [0, 1]."""
        if self._floats is None and self.images.numel() * 4 <= FLOAT_COPY_LIMIT:
            self._floats = self.images.to(torch.float32).div_(255)
        return (self._floats, True) if self._floats is not None else (self.images, False)

    def __iter__(self) -> Iterator[Tuple[torch.Tensor, torch.Tensor]]:
        n, size = self.num_examples, self.batch_size
        pixels, converted = self._pixels()
        order = torch.randperm(n).to(self.device) if self.shuffle else None
        for start in range(0, n, size):
            if order is None:
                X, y = pixels[start:start + size], self.labels[start:start + size]
                X = X.clone() if converted else X  # a new tensor, as a gathered batch is
            else:
                chosen = order[start:start + size]
                X, y = pixels.index_select(0, chosen), self.labels.index_select(0, chosen)
            yield (X if converted else X.to(torch.float32).div_(255)), y

    def rebatched(self, batch_size: int, shuffle: bool = False) -> "TensorLoader":
        """A loader over the same examples with another batch size, sharing the float32 copy."""
        self._pixels()  # convert now (when it fits), so that both loaders use the one copy
        loader = TensorLoader(self.images, self.labels, batch_size, shuffle)
        loader._floats = self._floats
        return loader

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


def _check_batch_size(batch_size: int) -> int:
    """``batch_size`` as an int, or ValueError."""
    try:
        if isinstance(batch_size, bool):
            raise TypeError
        value = operator.index(batch_size)
    except TypeError:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}") from None
    if value <= 0:
        raise ValueError(f"batch_size must be a positive integer, got {value}")
    return value


def _check_resize(resize: Resize) -> Optional[Tuple[int, int]]:
    """``resize`` as (height, width), None for no resizing, or ValueError."""
    if resize is None:
        return None
    sizes = [resize] if not isinstance(resize, (tuple, list)) else list(resize)
    if len(sizes) not in (1, 2) or any(
            isinstance(s, bool) or not isinstance(s, int) or s <= 0 for s in sizes):
        raise ValueError("resize must be None, a positive int or a pair (height, width) of "
                         f"positive ints, got {resize!r}")
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
    names = _TEXT_LABELS["zh" if language.get_language() == "zh" else "en"]
    values = labels.tolist() if isinstance(labels, torch.Tensor) else list(labels)
    result = []
    for value in values:
        index = int(value)
        if index != value or not 0 <= index < len(names):
            raise ValueError(f"Fashion-MNIST labels are integers 0 to 9, got {value!r}")
        result.append(names[index])
    return result
