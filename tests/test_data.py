"""Fashion-MNIST: found offline from every source, checked, identical to torchvision and d2l, fast.

Everything runs on the real data set: wherever ``find_fashion_mnist`` finds it on this machine
(Debian's package, ``D2LUTILS_DATA``, ``../data``, or one download). No test touches the
network: torchvision's mirrors are replaced in every test by a closed local port, or by a local
web server (``mirror``) where a test downloads.
"""
from __future__ import annotations

import gzip
import hashlib
import http.server
import importlib
import socket
import threading
import traceback
import urllib.parse
import urllib.request
from pathlib import Path

import re

import numpy as np
import pytest
import torch
import torchvision
from PIL import Image
from torchvision import transforms

from d2lutils import HP, config, language

data = importlib.import_module("d2lutils.data")

NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
WAYS = ("apt-get install dataset-fashion-mnist", config.DATA_ENV_VAR, "root=", "internet")
WAYS_ZH = ("apt-get install dataset-fashion-mnist", config.DATA_ENV_VAR, "root=", "联网")


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


_urlopen = urllib.request.urlopen


def _closed_port() -> int:
    """A local port nothing listens on (just released by the system), as a mirror out of reach."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _local_only(request, *args, **kwargs):
    """``urllib.request.urlopen`` for 127.0.0.1 only: a test that reaches further fails."""
    url = request.full_url if isinstance(request, urllib.request.Request) else request
    assert urllib.parse.urlsplit(url).hostname == "127.0.0.1", f"a test tried to reach the network: {url}"
    return _urlopen(request, *args, **kwargs)


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No source is configured and no mirror is reachable unless a test says otherwise."""
    monkeypatch.delenv(config.DATA_ENV_VAR, raising=False)
    monkeypatch.setattr(config, "DEFAULT_DATA_ROOT", tmp_path / "no-default")
    monkeypatch.setattr(config, "DEBIAN_FASHION_MNIST_DIR", tmp_path / "no-debian")
    monkeypatch.setattr(torchvision.datasets.FashionMNIST, "mirrors", [f"http://127.0.0.1:{_closed_port()}/"])
    monkeypatch.setattr(urllib.request, "urlopen", _local_only)


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
class Mirror(http.server.ThreadingHTTPServer):
    """A local web server standing in for torchvision's mirrors: serves ``files`` by name, records
    the names asked for, and with ``interrupt`` drops the connection half-way through those bodies."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.interrupt: set[str] = set()
        self.requested: list[str] = []
        super().__init__(("127.0.0.1", 0), _MirrorHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _MirrorHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        name = self.path.lstrip("/")
        self.server.requested.append(name)
        body = self.server.files.get(name)
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body[:len(body) // 2] if name in self.server.interrupt else body)
        except (BrokenPipeError, ConnectionResetError):  # torchvision's redirect check reads no body
            pass
        self.close_connection = True

    def log_message(self, format, *args) -> None:  # noqa: A002 (the http.server API)
        pass


@pytest.fixture
def mirror(monkeypatch):
    """A running local mirror; torchvision's ``FashionMNIST`` downloads from it and only from it."""
    server = Mirror()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(torchvision.datasets.FashionMNIST, "mirrors", [server.url])
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def serve(monkeypatch, mirror: Mirror, bodies: dict) -> None:
    """Serve ``bodies`` (archive name -> bytes) and make torchvision expect exactly their md5s."""
    mirror.files = dict(bodies)
    resources = [(archive, hashlib.md5(body).hexdigest()) for archive, body in bodies.items()]
    monkeypatch.setattr(torchvision.datasets.FashionMNIST, "resources", resources)


def _files_under(folder: Path) -> list:
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def test_download_through_torchvision(monkeypatch, mirror, tmp_path, gz_bodies, loaders, capsys):
    serve(monkeypatch, mirror, gz_bodies)
    source = data.find_fashion_mnist(tmp_path)
    target = tmp_path / "FashionMNIST" / "raw"
    assert (source.kind, source.folder) == ("download", target)
    assert sorted(set(mirror.requested)) == sorted(gz_bodies)  # torchvision fetched the four archives
    assert _files_under(tmp_path) == sorted(Path("FashionMNIST/raw") / n for n in NAMES)  # nothing else
    for name in NAMES:
        assert hashlib.sha256((target / name).read_bytes()).hexdigest() == data._FILES[name].sha256
    assert f"Downloading Fashion-MNIST to {target}" in capsys.readouterr().err
    train_iter, test_iter = data.load_data_fashion_mnist(256, root=tmp_path)
    assert torch.equal(test_iter.images, loaders[1].images)
    assert torch.equal(train_iter.labels, loaders[0].labels)
    mirror.requested.clear()
    assert data.find_fashion_mnist(tmp_path).kind == "root" and mirror.requested == []  # found now


def test_download_uses_torchvisions_mirror_list_and_md5(monkeypatch, mirror, tmp_path, gz_bodies):
    """torchvision's own md5s reject a body that differs from what it expects: nothing is saved."""
    serve(monkeypatch, mirror, gz_bodies)
    archive = "t10k-labels-idx1-ubyte.gz"
    mirror.files[archive] = gzip.compress(b"not the labels")
    with pytest.raises(data.FashionMNISTError) as caught:
        data.find_fashion_mnist(tmp_path)
    assert "the download failed" in str(caught.value) and archive in str(caught.value)
    assert _files_under(tmp_path) == []
    assert mirror.requested.count(archive) >= 1


def test_unreachable_mirrors_give_one_clear_error_in_both_languages(tmp_path):
    """The isolation points torchvision at a closed local port, as a machine without network."""
    for lang, ways, headline in (("en", WAYS, "Fashion-MNIST was not found and could not be downloaded"),
                                 ("zh", WAYS_ZH, "没有找到 Fashion-MNIST，也无法下载")):
        language.set_language(lang)
        with pytest.raises(data.FashionMNISTError) as caught:
            data.load_data_fashion_mnist(256, root=tmp_path / "mine")
        error = caught.value
        message = str(error)
        assert message.startswith(headline), message
        assert all(way in message for way in ways), message
        assert "Connection refused" in message  # what went wrong, from the network layer
        assert str(tmp_path / "mine" / "FashionMNIST" / "raw") in message  # where it would download to
        assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
        assert "urllib" not in "".join(traceback.format_exception(error))
        assert _files_under(tmp_path) == []


def test_no_download_allowed_lists_the_ways_without_network(tmp_path):
    with pytest.raises(data.FashionMNISTError) as caught:
        data.find_fashion_mnist(tmp_path, download=False)
    assert all(way in str(caught.value) for way in WAYS)
    assert "downloading was not allowed" in str(caught.value)
    assert str(tmp_path) in str(caught.value)
    assert _files_under(tmp_path) == []


def test_interrupted_download_leaves_nothing_and_a_retry_succeeds(monkeypatch, mirror, tmp_path, gz_bodies):
    serve(monkeypatch, mirror, gz_bodies)
    mirror.interrupt = {"train-labels-idx1-ubyte.gz"}
    with pytest.raises(data.FashionMNISTError, match="the download failed"):
        data.find_fashion_mnist(tmp_path)
    assert "train-labels-idx1-ubyte.gz" in mirror.requested
    assert _files_under(tmp_path) == []  # no final and no temporary file

    mirror.interrupt = set()
    assert data.find_fashion_mnist(tmp_path).kind == "download"
    assert _files_under(tmp_path) == sorted(Path("FashionMNIST/raw") / n for n in NAMES)


@pytest.mark.parametrize("lang, expected", [("en", "the downloaded train-labels-idx1-ubyte differs from the "
                                                    "original (SHA-256 "),
                                            ("zh", "下载的 train-labels-idx1-ubyte 与原始文件不同（SHA-256 为 ")])
def test_download_with_wrong_content_is_rejected_after_torchvision(monkeypatch, mirror, tmp_path, raw, gz_bodies,
                                                                  lang, expected):
    """A mirror whose archive matches its md5 but holds other bytes: the SHA-256 of the uncompressed
    file catches it, nothing is saved, and the files already there stay as they were."""
    labels = bytearray(raw["train-labels-idx1-ubyte"])
    labels[100] = (labels[100] + 1) % 10
    serve(monkeypatch, mirror, dict(gz_bodies, **{"train-labels-idx1-ubyte.gz": gzip.compress(bytes(labels))}))
    target = tmp_path / "FashionMNIST" / "raw"
    target.mkdir(parents=True)
    (target / "t10k-labels-idx1-ubyte").write_bytes(raw["t10k-labels-idx1-ubyte"])  # one of four: not found
    language.set_language(lang)
    with pytest.raises(data.FashionMNISTError) as caught:
        data.find_fashion_mnist(tmp_path)
    assert expected in str(caught.value)
    assert _files_under(tmp_path) == [Path("FashionMNIST/raw/t10k-labels-idx1-ubyte")]


def test_download_replaces_a_partial_folder_with_checked_files(monkeypatch, mirror, tmp_path, raw, gz_bodies):
    target = tmp_path / "FashionMNIST" / "raw"
    target.mkdir(parents=True)
    for name in NAMES[:3]:
        (target / name).write_bytes(raw[name])
    serve(monkeypatch, mirror, gz_bodies)
    assert data.find_fashion_mnist(tmp_path).kind == "download"
    assert (target / NAMES[3]).read_bytes() == raw[NAMES[3]]
    assert _files_under(tmp_path) == sorted(Path("FashionMNIST/raw") / n for n in NAMES)


def test_download_folder_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(data.FashionMNISTError, match="cannot create"):
        data.find_fashion_mnist(blocker)


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
    with pytest.raises(ValueError, match="batch_size must be an integer of at least 1"):
        data.load_data_fashion_mnist(batch_size)
    language.set_language("zh")
    with pytest.raises(ValueError, match="batch_size 必须是不小于 1 的整数"):
        data.load_data_fashion_mnist(batch_size)


@pytest.mark.parametrize("resize", [0, -3, 2.5, "64", (28,) * 3, (0, 28), (28, True), [64, 64.0]])
def test_bad_resize(resize):
    with pytest.raises(ValueError, match="resize must be None, a positive int or a pair"):
        data.load_data_fashion_mnist(256, resize=resize)
    language.set_language("zh")
    with pytest.raises(ValueError, match="resize 必须是 None、正整数"):
        data.load_data_fashion_mnist(256, resize=resize)


def test_tensor_loader_rejects_bad_tensors_in_both_languages():
    images, labels = _indexed(10)
    for lang, wrong_images, wrong_labels in (("en", "images must be a uint8 tensor", "labels must be a 1-D tensor"),
                                             ("zh", "images 必须是形状为", "labels 必须是一维张量")):
        language.set_language(lang)
        with pytest.raises(ValueError, match=wrong_images):
            data.TensorLoader(images.float(), labels, 4)
        with pytest.raises(ValueError, match=wrong_images):
            data.TensorLoader(images[0], labels, 4)
        with pytest.raises(ValueError, match=wrong_labels):
            data.TensorLoader(images, labels[:5], 4)


def test_messages_about_files_in_chinese(tmp_path, tv_raw, raw):
    language.set_language("zh")
    folder = _folder_with(tmp_path / "data", tv_raw, "train-labels-idx1-ubyte", raw["train-labels-idx1-ubyte"][:500])
    with pytest.raises(data.FashionMNISTError) as caught:
        data.load_data_fashion_mnist(256, root=folder)
    assert f"Fashion-MNIST 文件 {folder / 'train-labels-idx1-ubyte'} 不完整：只有 500 字节，应为 60008 字节。" \
        in str(caught.value)
    assert "请删除这个文件后重新运行" in str(caught.value)
    assert str(data.find_fashion_mnist(tv_raw, download=False)).startswith("Fashion-MNIST，来自 ")
    assert str(data.find_fashion_mnist(tv_raw, download=False)).endswith("（参数 root）")
    language.set_language("en")
    assert str(data.find_fashion_mnist(tv_raw, download=False)) == f"Fashion-MNIST from {tv_raw} (the root argument)"


# ---------------------------------------------------------------- split_validation
def _indices(loader) -> torch.Tensor:
    """The example indices one epoch of a loader over ``_indexed`` images visits, read from the pixels."""
    X, y = _epoch(loader)
    spelled = (X[:, 0, 0, 0] * 255).round() * 256 + (X[:, 0, 0, 1] * 255).round()
    assert torch.equal(spelled.long(), y)  # each image arrives with its own label
    return y


def test_split_validation_is_disjoint_complete_and_sized():
    images, labels = _indexed(1000)
    loader = data.TensorLoader(images, labels, 64, shuffle=True)
    train_iter, valid_iter = data.split_validation(loader, num_valid=300, seed=5)
    assert (train_iter.num_examples, valid_iter.num_examples) == (700, 300)
    assert (train_iter.batch_size, valid_iter.batch_size) == (64, 64)
    assert train_iter.shuffle and not valid_iter.shuffle
    train, valid = _indices(train_iter), _indices(valid_iter)
    assert len(set(train.tolist())) == 700 and len(set(valid.tolist())) == 300  # each example once
    assert not set(train.tolist()) & set(valid.tolist())
    assert torch.equal(torch.cat([train, valid]).sort().values, labels)  # together: every example
    assert torch.equal(valid, valid.sort().values)  # validation in the original order, not shuffled
    assert torch.equal(_indices(valid_iter), valid)  # and the same order every epoch
    assert not torch.equal(train, train.sort().values)  # training shuffled
    assert torch.equal(train_iter.labels.sort().values, train.sort().values)  # .images/.labels: own examples
    assert torch.equal(train_iter.images, images[train_iter.labels])
    assert torch.equal(valid_iter.images, images[valid_iter.labels])
    # The split is not biased towards either end: both parts hold early and late examples.
    assert valid.min() < 100 and valid.max() > 900


def test_split_validation_depends_on_the_seed_only():
    images, labels = _indexed(500)
    loader = data.TensorLoader(images, labels, 50, shuffle=True)
    torch.manual_seed(1)
    first = data.split_validation(loader, 100, seed=7)[1].labels
    torch.manual_seed(2)
    random_state = torch.get_rng_state()
    again = data.split_validation(loader, 100, seed=7)[1].labels
    assert torch.equal(torch.get_rng_state(), random_state)  # the global RNG is neither used nor changed
    assert torch.equal(first, again)
    assert not torch.equal(data.split_validation(loader, 100, seed=8)[1].labels, first)
    assert data.split_validation.__defaults__ == (10_000, HP.seed)


def test_split_validation_shares_the_float_copy(monkeypatch):
    images, labels = _indexed(200)
    loader = data.TensorLoader(images, labels, 32, shuffle=True)
    train_iter, valid_iter = data.split_validation(loader, 50)
    assert loader._floats is not None
    assert train_iter._floats is loader._floats and valid_iter._floats is loader._floats
    # A split of a split (and its re-batched loader) still reads the one copy, at the right rows.
    inner_train, inner_valid = data.split_validation(train_iter, 30, seed=1)
    assert inner_valid._floats is loader._floats and inner_valid.rebatched(7)._floats is loader._floats
    assert set(_indices(inner_valid).tolist()) <= set(train_iter.labels.tolist())
    assert torch.equal(_indices(inner_valid.rebatched(7)), inner_valid.labels)
    assert inner_train.num_examples + inner_valid.num_examples == train_iter.num_examples
    # Above the float-copy limit nothing is shared and batches are converted one by one, the same values.
    monkeypatch.setattr(data, "FLOAT_COPY_LIMIT", 0)
    big = data.TensorLoader(images, labels, 32, shuffle=True)
    big_train, big_valid = data.split_validation(big, 50)
    assert big._floats is None and big_valid._floats is None
    assert torch.equal(_indices(big_valid), valid_iter.labels)


def test_split_validation_of_the_real_training_set(loaders):
    train_iter, valid_iter = data.split_validation(loaders[0])
    assert (train_iter.num_examples, valid_iter.num_examples) == (50_000, 10_000)
    assert train_iter._floats is loaders[0]._floats  # 188 MB of float32 images held once
    counts = torch.bincount(valid_iter.labels, minlength=10)
    assert counts.sum() == 10_000 and counts.min() > 900  # every class held out, about 1000 each
    X, y = next(iter(valid_iter))
    assert torch.equal(X, valid_iter.images[:256].float() / 255) and torch.equal(y, valid_iter.labels[:256])


@pytest.mark.parametrize("num_valid, problem", [(0, "num_valid must be an integer of at least 1, not 0"),
                                                (-5, "num_valid must be an integer of at least 1"),
                                                (2.5, "num_valid must be an integer"),
                                                (True, "num_valid must be an integer"),
                                                (100, "num_valid=100 leaves no training examples"),
                                                (101, "the loader holds 100; choose num_valid below 100")])
def test_split_validation_rejects_bad_sizes(num_valid, problem):
    loader = data.TensorLoader(*_indexed(100), 10)
    with pytest.raises(ValueError, match=re.escape(problem)):
        data.split_validation(loader, num_valid)
    with pytest.raises(ValueError, match="seed must be an integer of at least 0"):
        data.split_validation(loader, 10, seed=-1)


def test_split_validation_needs_a_tensor_loader_and_says_so_in_chinese():
    batches = [(torch.zeros(4, 1, 2, 2), torch.zeros(4, dtype=torch.long))]
    with pytest.raises(TypeError, match="split_validation needs a d2l.TensorLoader .* not a list"):
        data.split_validation(batches)
    language.set_language("zh")
    with pytest.raises(TypeError, match="split_validation 需要 d2l.TensorLoader.*而不是 list"):
        data.split_validation(batches)
    with pytest.raises(ValueError, match="会让训练集一个样本都不剩"):
        data.split_validation(data.TensorLoader(*_indexed(10), 5), 10)


# ---------------------------------------------------------------- text labels
def test_text_labels_english_as_d2l_and_chinese():
    d2l_torch = importlib.import_module("d2l.torch")
    expected = d2l_torch.FashionMNIST.text_labels(None, range(10))
    assert data.get_fashion_mnist_labels(range(10)) == expected
    assert data.get_fashion_mnist_labels(torch.tensor([9, 0])) == ["ankle boot", "t-shirt"]
    for bad in ([10], [-1], [1.5], ["3"], [None]):
        with pytest.raises(ValueError, match="labels are integers 0 to 9"):
            data.get_fashion_mnist_labels(bad)
    language.set_language("zh")
    assert data.get_fashion_mnist_labels(torch.arange(10)) == [
        "T恤", "裤子", "套衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包", "短靴"]
    with pytest.raises(ValueError, match="Fashion-MNIST 的标签是 0 到 9 的整数"):
        data.get_fashion_mnist_labels([10])
