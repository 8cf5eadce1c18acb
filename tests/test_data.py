"""Fashion-MNIST: found offline from every source, checked, identical to torchvision and d2l, fast.

Everything runs on the real data set: wherever ``find_fashion_mnist`` finds it on this machine
(Debian's package, ``D2LUTILS_DATA``, ``../data``, or one download). No test touches the
network: the download opener is replaced in every test.
"""
from __future__ import annotations

import gzip
import hashlib
import importlib
import io
import os
import traceback
import urllib.error
from pathlib import Path

import numpy as np
import pytest
import torch
import torchvision
from PIL import Image
from torchvision import transforms

from d2lutils import config, language

data = importlib.import_module("d2lutils.data")

NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
WAYS = ("apt-get install dataset-fashion-mnist", config.DATA_ENV_VAR, "root=", "internet")


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def real() -> data.FashionMNISTSource:
    """The real data set, found the way users find it (before any test isolates the sources)."""
    return data.find_fashion_mnist()


@pytest.fixture(scope="module")
def raw(real) -> dict:
    """Uncompressed, checked bytes of the four real files."""
    return {name: data._read(data._FILES[name], real.files[name]) for name in NAMES}


@pytest.fixture(scope="module")
def gz_bodies(real, raw) -> dict:
    """What a mirror serves for each file: gzip of the original bytes."""
    return {f"{name}.gz": (real.files[name].read_bytes() if real.files[name].suffix == ".gz"
                           else gzip.compress(raw[name], compresslevel=1)) for name in NAMES}


@pytest.fixture(scope="module")
def tv_root(tmp_path_factory, raw) -> Path:
    """``tv/data/FashionMNIST/raw/`` with uncompressed copies (torchvision's layout) and ``tv/work/``."""
    root = tmp_path_factory.mktemp("tv")
    raw_dir = root / "data" / "FashionMNIST" / "raw"
    raw_dir.mkdir(parents=True)
    for name, content in raw.items():
        (raw_dir / name).write_bytes(content)
    (root / "work").mkdir()
    return root


@pytest.fixture(scope="module")
def tv_raw(tv_root) -> Path:
    return tv_root / "data" / "FashionMNIST" / "raw"


@pytest.fixture(scope="module")
def debian_dir(real, gz_bodies, tmp_path_factory) -> Path:
    """A folder laid out as Debian's package: the four ``.gz`` files."""
    if all(real.files[name].suffix == ".gz" for name in NAMES):
        return real.files[NAMES[0]].parent
    folder = tmp_path_factory.mktemp("debian")
    for archive, body in gz_bodies.items():
        (folder / archive).write_bytes(body)
    return folder


@pytest.fixture(scope="module")
def loaders(tv_root):
    """The real loaders (batch size 256), loaded once for the module."""
    return data.load_data_fashion_mnist(256, root=tv_root / "data")


def _no_network(request, timeout=None):
    raise AssertionError(f"a test tried to reach the network: {request.full_url}")


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No source is configured and the network is unreachable unless a test says otherwise."""
    monkeypatch.delenv(config.DATA_ENV_VAR, raising=False)
    monkeypatch.setattr(config, "DEFAULT_DATA_ROOT", tmp_path / "no-default")
    monkeypatch.setattr(config, "DEBIAN_FASHION_MNIST_DIR", tmp_path / "no-debian")
    monkeypatch.setattr(data, "_urlopen", _no_network)


def _folder_with(folder: Path, tv_raw: Path, name: str, content: bytes, filename: str = "") -> Path:
    """``folder`` holding links to the good files and ``content`` as file ``name``."""
    folder.mkdir(parents=True, exist_ok=True)
    for other in NAMES:
        if other != name:
            (folder / other).symlink_to(tv_raw / other)
    (folder / (filename or name)).write_bytes(content)
    return folder


def _epoch(loader) -> tuple:
    """All batches of one epoch, concatenated."""
    Xs, ys = zip(*loader)
    return torch.cat(Xs), torch.cat(ys)


class FakeResponse(io.BytesIO):
    """A mirror's response; with ``interrupt`` the connection drops half-way through the body."""

    def __init__(self, body: bytes, interrupt: bool = False) -> None:
        super().__init__(body)
        self.fail_at = len(body) // 2 if interrupt else len(body) + 1

    def read(self, size: int = -1) -> bytes:
        if self.tell() >= self.fail_at:
            raise ConnectionResetError("connection reset by peer")
        limit = self.fail_at - self.tell()
        return super().read(limit if size < 0 else min(size, limit))


def _mirror(bodies: dict, requested: list, interrupt: bool = False):
    """An opener serving ``bodies`` by file name and recording the URLs asked for."""
    def opener(request, timeout=None):
        requested.append(request.full_url)
        return FakeResponse(bodies[request.full_url.rsplit("/", 1)[-1]], interrupt)
    return opener


# ---------------------------------------------------------------- where the data comes from
def test_root_argument_with_files_directly_or_torchvision_layout(tv_root, tv_raw):
    for folder in (tv_raw, tv_root / "data"):
        source = data.find_fashion_mnist(folder, download=False)
        assert source.kind == "root"
        assert source.folder == folder
        assert {name: path.parent for name, path in source.files.items()} == dict.fromkeys(NAMES, tv_raw)
    train_iter, test_iter = data.load_data_fashion_mnist(256, root=str(tv_raw))
    assert (train_iter.num_examples, test_iter.num_examples) == (60000, 10000)


def test_environment_variable(monkeypatch, tv_raw):
    monkeypatch.setenv(config.DATA_ENV_VAR, str(tv_raw))
    source = data.find_fashion_mnist(download=False)
    assert (source.kind, source.folder) == ("env", tv_raw)
    assert data.load_data_fashion_mnist(512)[1].num_examples == 10000


def test_default_root_in_torchvision_layout(monkeypatch, tv_root, tv_raw):
    monkeypatch.setattr(config, "DEFAULT_DATA_ROOT", Path("../data"))  # d2l's root, from a chapter folder
    monkeypatch.chdir(tv_root / "work")
    source = data.find_fashion_mnist(download=False)
    assert source.kind == "default"
    assert source.files["t10k-images-idx3-ubyte"].resolve() == tv_raw / "t10k-images-idx3-ubyte"


def test_debian_package_folder_of_gz_files(monkeypatch, debian_dir, loaders):
    monkeypatch.setattr(config, "DEBIAN_FASHION_MNIST_DIR", debian_dir)
    source = data.find_fashion_mnist(download=False)
    assert (source.kind, source.folder) == ("debian", debian_dir)
    assert all(path.name.endswith(".gz") for path in source.files.values())
    train_iter, test_iter = data.load_data_fashion_mnist(256)
    assert torch.equal(test_iter.images, loaders[1].images)
    assert torch.equal(train_iter.labels, loaders[0].labels)


def test_search_order(monkeypatch, tmp_path, tv_root, tv_raw, debian_dir):
    monkeypatch.setenv(config.DATA_ENV_VAR, str(tv_root / "data"))
    monkeypatch.setattr(config, "DEFAULT_DATA_ROOT", tv_raw)
    monkeypatch.setattr(config, "DEBIAN_FASHION_MNIST_DIR", debian_dir)
    assert data.find_fashion_mnist(tv_raw, download=False).kind == "root"
    # A root argument without the files does not hide the other sources.
    assert data.find_fashion_mnist(tmp_path / "empty", download=False).kind == "env"
    monkeypatch.delenv(config.DATA_ENV_VAR)
    assert data.find_fashion_mnist(download=False).kind == "default"
    monkeypatch.setattr(config, "DEFAULT_DATA_ROOT", tmp_path / "nothing")
    assert data.find_fashion_mnist(download=False).kind == "debian"


# ---------------------------------------------------------------- same tensors as the references
def test_same_tensors_as_torchvision(tv_root, loaders):
    to_tensor = transforms.ToTensor()
    for train, loader in zip((True, False), loaders):
        reference = torchvision.datasets.FashionMNIST(tv_root / "data", train=train, transform=to_tensor)
        assert torch.equal(loader.images[:, 0], reference.data)  # all 70000 images, exactly
        assert torch.equal(loader.labels, reference.targets)
        assert loader.labels.dtype == torch.int64
    # ToTensor applied image by image equals our batches, for every test image, in order.
    X, y = _epoch(loaders[1])
    expected = torch.stack([reference[i][0] for i in range(len(reference))])
    assert X.dtype == torch.float32 and torch.equal(X, expected)
    assert torch.equal(y, reference.targets)


@pytest.fixture
def d2l_loaders(monkeypatch, tv_root):
    """d2l 1.0.3's own ``load_data_fashion_mnist(256)`` on the same files."""
    d2l_torch = importlib.import_module("d2l.torch")  # installed with --no-deps by the Makefile
    monkeypatch.setattr(d2l_torch, "get_dataloader_workers", lambda: 0)  # same tensors, less waiting
    monkeypatch.chdir(tv_root / "work")  # d2l reads ../data/FashionMNIST/raw
    return d2l_torch.load_data_fashion_mnist(256)


def test_same_test_batches_as_d2l(d2l_loaders, loaders):
    assert len(d2l_loaders[1]) == len(loaders[1])
    for (X, y), (X_ref, y_ref) in zip(loaders[1], d2l_loaders[1], strict=True):
        assert torch.equal(X, X_ref) and torch.equal(y, y_ref)


@pytest.mark.slow  # d2l's per-image pipeline takes about 8 s of CPU for one training epoch
def test_same_training_examples_as_d2l(d2l_loaders, loaders):
    """Both loaders shuffle, so compare one epoch of each as multisets of (image, label) rows."""
    def rows(X, y):
        return torch.unique(torch.cat([X.flatten(1), y[:, None].float()], 1), dim=0, return_counts=True)
    assert len(d2l_loaders[0]) == len(loaders[0])
    ours, theirs = rows(*_epoch(loaders[0])), rows(*_epoch(d2l_loaders[0]))
    assert torch.equal(ours[0], theirs[0]) and torch.equal(ours[1], theirs[1])
    assert int(ours[1].sum()) == 60000


def test_resize_matches_torchvision_resize_then_to_tensor(tv_root, loaders):
    """Tolerance 2/255 per pixel, mean 0.5/255: torch's uint8 antialiased bilinear kernel uses
    Pillow's fixed-point arithmetic. Enlarging gives identical pixels; shrinking by a non-integer
    factor may round up to 2 steps of 1/255 apart (measured: about 2% of pixels for 28 -> 20)."""
    images = loaders[1].images[:1000]
    pil_images = [Image.fromarray(image[0].numpy(), mode="L") for image in images]
    train_iter, test_iter = data.load_data_fashion_mnist(100, resize=(20, 36), root=tv_root / "data")
    assert train_iter.images.shape == (60000, 1, 20, 36) and train_iter.images.dtype == torch.uint8
    X, _ = next(iter(test_iter))
    assert X.shape == (100, 1, 20, 36)
    cases = [((20, 36), _epoch(test_iter)[0][:1000]),
             (64, data._resize(images, (64, 64)).float() / 255),
             (14, data._resize(images, (14, 14)).float() / 255)]
    for size, ours in cases:
        pipeline = transforms.Compose([transforms.Resize(size), transforms.ToTensor()])
        expected = torch.stack([pipeline(image) for image in pil_images])
        assert ours.shape == expected.shape
        difference = (ours - expected).abs()
        assert difference.max() <= 2 / 255 + 1e-6, size
        assert difference.mean() <= 0.5 / 255, size


def test_second_load_is_cached(tv_root, loaders):
    again = data.load_data_fashion_mnist(256, root=tv_root / "data")
    assert again[0].images is loaders[0].images and again[1].labels is loaders[1].labels


# ---------------------------------------------------------------- damaged files
def _label_file(raw: dict, change) -> bytes:
    content = bytearray(raw["train-labels-idx1-ubyte"])
    change(content)
    return bytes(content)


def _set(content: bytearray, index: int, value: int) -> None:
    content[index] = value


DAMAGE = {
    "one label changed": (lambda raw: _label_file(raw, lambda c: _set(c, 100, (c[100] + 1) % 10)),
                          "differs from the original"),
    "label out of range": (lambda raw: _label_file(raw, lambda c: _set(c, 100, 12)), "labels are 0 to 9"),
    "truncated": (lambda raw: raw["train-labels-idx1-ubyte"][:30000], "is truncated"),
    "too long": (lambda raw: raw["train-labels-idx1-ubyte"] + b"\0", "too long"),
    "not labels": (lambda raw: raw["train-images-idx3-ubyte"][:60008], "magic number"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_file_is_rejected_naming_the_file(tmp_path, tv_raw, raw, damage):
    make, problem = DAMAGE[damage]
    folder = _folder_with(tmp_path / "data", tv_raw, "train-labels-idx1-ubyte", make(raw))
    with pytest.raises(data.FashionMNISTError) as caught:
        data.load_data_fashion_mnist(256, root=folder)
    message = str(caught.value)
    assert str(folder / "train-labels-idx1-ubyte") in message
    assert problem in message and "Delete it" in message


def test_truncated_image_and_gzip_files_are_rejected(tmp_path, tv_raw, raw, gz_bodies):
    images = _folder_with(tmp_path / "images", tv_raw, "train-images-idx3-ubyte",
                          raw["train-images-idx3-ubyte"][:16 + 784 * 1000])
    with pytest.raises(data.FashionMNISTError, match="is truncated: 784016 bytes, expected 47040016"):
        data.load_data_fashion_mnist(256, root=images)
    gz = _folder_with(tmp_path / "gz", tv_raw, "t10k-labels-idx1-ubyte",
                      gz_bodies["t10k-labels-idx1-ubyte.gz"][:2000], "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(data.FashionMNISTError) as caught:
        data.load_data_fashion_mnist(256, root=gz)
    assert str(gz / "t10k-labels-idx1-ubyte.gz") in str(caught.value)
    assert "not a complete gzip file" in str(caught.value)


def test_damaged_debian_file_says_reinstall(monkeypatch, tmp_path, tv_raw, raw):
    folder = _folder_with(tmp_path / "debian", tv_raw, "t10k-labels-idx1-ubyte",
                          gzip.compress(raw["t10k-labels-idx1-ubyte"][:-1]), "t10k-labels-idx1-ubyte.gz")
    monkeypatch.setattr(config, "DEBIAN_FASHION_MNIST_DIR", folder)
    with pytest.raises(data.FashionMNISTError) as caught:
        data.load_data_fashion_mnist(256)
    message = str(caught.value)
    assert str(folder / "t10k-labels-idx1-ubyte.gz") in message and "is truncated" in message
    assert "sudo apt-get install --reinstall dataset-fashion-mnist" in message


# ---------------------------------------------------------------- downloading
def _torchvision_urls(count: int = 4) -> list:
    mirror = torchvision.datasets.FashionMNIST.mirrors[0]
    return [mirror + archive for archive, _ in torchvision.datasets.FashionMNIST.resources[:count]]


def test_offline_and_missing_gives_one_clear_error(monkeypatch, tmp_path):
    requested = []

    def offline(request, timeout=None):
        requested.append(request.full_url)
        raise urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr(data, "_urlopen", offline)
    with pytest.raises(data.FashionMNISTError) as caught:
        data.load_data_fashion_mnist(256, root=tmp_path / "mine")
    error = caught.value
    message = str(error)
    assert all(way in message for way in WAYS), message
    assert "Temporary failure in name resolution" in message
    assert str(tmp_path / "mine" / "FashionMNIST" / "raw") in message  # where it would download to
    first_archive = torchvision.datasets.FashionMNIST.resources[0][0]
    assert requested == [mirror + first_archive for mirror in torchvision.datasets.FashionMNIST.mirrors]
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
    assert "urllib" not in "".join(traceback.format_exception(error))
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_no_download_allowed_lists_the_ways_without_network(tmp_path):
    with pytest.raises(data.FashionMNISTError) as caught:  # _no_network would fail the test
        data.find_fashion_mnist(tmp_path, download=False)
    assert all(way in str(caught.value) for way in WAYS)
    assert str(tmp_path) in str(caught.value)


def test_interrupted_download_leaves_nothing_and_a_retry_succeeds(monkeypatch, tmp_path, gz_bodies, loaders):
    requested = []
    monkeypatch.setattr(data, "_urlopen", _mirror(gz_bodies, requested, interrupt=True))
    with pytest.raises(data.FashionMNISTError, match="connection reset by peer"):
        data.find_fashion_mnist(tmp_path)
    assert requested  # the fake response was used and dropped half-way
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # no final and no temporary file

    requested.clear()
    monkeypatch.setattr(data, "_urlopen", _mirror(gz_bodies, requested))
    source = data.find_fashion_mnist(tmp_path)
    target = tmp_path / "FashionMNIST" / "raw"
    assert (source.kind, source.folder) == ("download", target)
    assert requested == _torchvision_urls()
    assert sorted(p.name for p in target.iterdir()) == sorted(NAMES)  # final names, nothing else
    for name in NAMES:
        assert hashlib.sha256((target / name).read_bytes()).hexdigest() == data._FILES[name].sha256
    train_iter, test_iter = data.load_data_fashion_mnist(256, root=tmp_path)
    assert torch.equal(test_iter.images, loaders[1].images)
    assert torch.equal(train_iter.labels, loaders[0].labels)


def test_download_fetches_only_missing_files_and_rejects_bad_content(monkeypatch, tmp_path, raw, gz_bodies):
    target = tmp_path / "FashionMNIST" / "raw"
    target.mkdir(parents=True)
    for name in NAMES[:3]:
        (target / name).write_bytes(raw[name])
    bad = dict(gz_bodies, **{"t10k-labels-idx1-ubyte.gz": gzip.compress(raw["t10k-labels-idx1-ubyte"][:-5])})
    requested = []
    monkeypatch.setattr(data, "_urlopen", _mirror(bad, requested))
    with pytest.raises(data.FashionMNISTError, match="t10k-labels-idx1-ubyte.gz is truncated"):
        data.find_fashion_mnist(tmp_path)
    assert not (target / "t10k-labels-idx1-ubyte").exists()
    assert sorted(p.name for p in target.iterdir()) == sorted(NAMES[:3])

    requested.clear()
    monkeypatch.setattr(data, "_urlopen", _mirror(gz_bodies, requested))
    assert data.find_fashion_mnist(tmp_path).kind == "download"
    assert requested == _torchvision_urls()[3:]
    assert (target / "t10k-labels-idx1-ubyte").read_bytes() == raw["t10k-labels-idx1-ubyte"]


# ---------------------------------------------------------------- TensorLoader
def _indexed(n: int) -> tuple:
    """n images whose two first pixels spell their index; labels are the indices."""
    images = torch.zeros(n, 1, 4, 4, dtype=torch.uint8)
    images[:, 0, 0, 0] = torch.arange(n) // 256
    images[:, 0, 0, 1] = torch.arange(n) % 256
    return images, torch.arange(n)


def test_tensor_loader_batches_and_shuffling():
    images, labels = _indexed(1000)
    loader = data.TensorLoader(images, labels, 128, shuffle=True)
    assert len(loader) == 8 and loader.num_examples == 1000
    epochs = []
    for _ in range(2):
        batches = list(loader)
        assert [len(y) for _, y in batches] == [128] * 7 + [104]
        X, y = torch.cat([X for X, _ in batches]), torch.cat([y for _, y in batches])
        assert X.dtype == torch.float32 and y.dtype == torch.int64
        assert torch.equal((X[:, 0, 0, 0] * 255).round() * 256 + (X[:, 0, 0, 1] * 255).round(), y.float())
        assert torch.equal(y.sort().values, labels)  # every example exactly once
        epochs.append(y)
    assert not torch.equal(epochs[0], epochs[1])
    torch.manual_seed(3)
    first = _epoch(loader)[1]
    torch.manual_seed(3)
    assert torch.equal(_epoch(loader)[1], first)  # torch's global RNG decides the order
    ordered = data.TensorLoader(images, labels, 300)
    assert torch.equal(_epoch(ordered)[1], labels) and len(ordered) == 4


def test_tensor_loader_to_device():
    images, labels = _indexed(10)
    loader = data.TensorLoader(images, labels, 4, shuffle=True)
    moved = loader.to("cpu")
    assert isinstance(moved, data.TensorLoader) and moved.device == torch.device("cpu")
    assert (moved.batch_size, moved.shuffle, len(moved)) == (4, True, 3)
    assert all(X.device.type == "cpu" and y.device.type == "cpu" for X, y in moved)
    if torch.cuda.is_available():
        on_gpu = loader.to("cuda")
        assert on_gpu.images.is_cuda
        X, y = next(iter(on_gpu))
        assert X.is_cuda and y.is_cuda


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("limit", [data.FLOAT_COPY_LIMIT, 0])
def test_tensor_loader_float_copy(monkeypatch, shuffle, limit):
    """One float32 copy when it fits the limit, none above it; the same batches either way, each a new tensor."""
    monkeypatch.setattr(data, "FLOAT_COPY_LIMIT", limit)
    images = torch.randint(0, 256, (50, 1, 3, 3), dtype=torch.uint8)
    loader = data.TensorLoader(images, torch.arange(50), 16, shuffle=shuffle)
    expected = images.to(torch.float32) / 255  # ToTensor's values, bit for bit
    for _ in range(2):
        X, y = _epoch(loader)
        assert torch.equal(X, expected[y])
        for X, _ in loader:
            X.zero_()  # a learner's in-place change must not reach later epochs
    assert (loader._floats is not None) == (limit > 0)
    kept = loader._floats
    list(loader)
    assert loader._floats is kept  # converted once
    rebatched = loader.rebatched(7)
    assert rebatched._floats is kept and (rebatched.batch_size, rebatched.shuffle) == (7, False)
    assert torch.equal(_epoch(rebatched)[0], expected)


def test_tensor_loader_to_its_own_device_is_itself():
    images, labels = _indexed(10)
    loader = data.TensorLoader(images, labels, 4)
    assert loader.to("cpu") is loader and loader.to(torch.device("cpu")) is loader


def test_real_loaders(loaders):
    train_iter, test_iter = loaders
    assert (len(train_iter), len(test_iter)) == (235, 40)  # ceil(60000/256), ceil(10000/256)
    assert [len(y) for _, y in test_iter][-1] == 10000 - 39 * 256
    X, y = next(iter(train_iter))
    assert X.shape == (256, 1, 28, 28) and y.shape == (256,)
    assert 0 <= float(X.min()) and float(X.max()) <= 1
    assert train_iter.shuffle and not test_iter.shuffle
    assert np.isclose(float(_epoch(test_iter)[0].mean()), float(test_iter.images.double().mean() / 255))


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True, "256", None])
def test_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        data.load_data_fashion_mnist(batch_size)


@pytest.mark.parametrize("resize", [0, -3, 2.5, "64", (28,) * 3, (0, 28), (28, True), [64, 64.0]])
def test_bad_resize(resize):
    with pytest.raises(ValueError, match="resize must be None, a positive int or a pair"):
        data.load_data_fashion_mnist(256, resize=resize)


# ---------------------------------------------------------------- text labels
def test_text_labels_english_as_d2l_and_chinese():
    d2l_torch = importlib.import_module("d2l.torch")
    before = language.get_language()
    try:
        language.set_language("en")
        expected = d2l_torch.FashionMNIST.text_labels(None, range(10))
        assert data.get_fashion_mnist_labels(range(10)) == expected
        assert data.get_fashion_mnist_labels(torch.tensor([9, 0])) == ["ankle boot", "t-shirt"]
        language.set_language("zh")
        assert data.get_fashion_mnist_labels(torch.arange(10)) == [
            "T恤", "裤子", "套衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包", "短靴"]
    finally:
        language.set_language(before)
    for bad in ([10], [-1], [1.5]):
        with pytest.raises(ValueError, match="labels are integers 0 to 9"):
            data.get_fashion_mnist_labels(bad)
