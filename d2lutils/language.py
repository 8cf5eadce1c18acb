"""The book's language: English or Chinese labels, and a CJK font for matplotlib when Chinese.

``set_language("zh")`` at the top of a Chinese chapter makes every label d2lutils draws
(axis labels, legends, progress lines) Chinese and picks an installed CJK font, so Chinese
text in figures is not drawn as empty boxes.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["LANGUAGES", "CJK_FONT_NAMES", "STRINGS", "set_language", "get_language", "translate", "message", "cjk_font"]

#: The languages the book is written in.
LANGUAGES = ("en", "zh")

#: CJK fonts that cover simplified Chinese, best first (font family names as matplotlib reports them).
CJK_FONT_NAMES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "Noto Serif CJK SC",
    "Arial Unicode MS",
)

# Lower-case pieces of the file names of those fonts, for fonts on disk that matplotlib has not
# listed yet (installed after matplotlib built its font cache, e.g. apt-get on Colab).
_CJK_FILE_HINTS = (
    "notosanscjk", "notosanssc", "sourcehansans", "wqy-microhei", "wqy-zenhei",
    "msyh", "simhei", "pingfang", "notoserifcjk",
)

# ---------------------------------------------------------------- the string table
# Every user-facing string d2lutils shows (messages, errors, readouts), by key, in each language.
# One section per module; ``message(key, **fields)`` formats the current language's entry with
# ``str.format``. Keys are "<module>.<what>"; each entry has exactly the keys of LANGUAGES.
_PUNCTUATION_STRINGS: dict[str, dict[str, str]] = {
    "colon": {"en": ": ", "zh": "："},
    "comma": {"en": ", ", "zh": "，"},
}
# Labels d2lutils draws, keyed "label.<the English label>"; ``translate`` looks them up.
_LABEL_STRINGS: dict[str, dict[str, str]] = {
    "label.epoch": {"en": "epoch", "zh": "迭代周期"},
    "label.train loss": {"en": "train loss", "zh": "训练损失"},
    "label.train acc": {"en": "train acc", "zh": "训练准确率"},
    "label.test acc": {"en": "test acc", "zh": "测试准确率"},
    "label.valid acc": {"en": "valid acc", "zh": "验证准确率"},
    "label.test loss": {"en": "test loss", "zh": "测试损失"},
    "label.loss": {"en": "loss", "zh": "损失"},
    "label.accuracy": {"en": "accuracy", "zh": "准确率"},
    "label.true": {"en": "true", "zh": "真实"},
    "label.pred": {"en": "pred", "zh": "预测"},
    "label.derivative": {"en": "derivative", "zh": "导数"},
    "label.gradient": {"en": "gradient", "zh": "梯度"},
    "label.learning rate": {"en": "learning rate", "zh": "学习率"},
    "label.hidden units": {"en": "hidden units", "zh": "隐藏单元"},
    "label.input layer": {"en": "input layer", "zh": "输入层"},
    "label.hidden layer": {"en": "hidden layer", "zh": "隐藏层"},
    "label.output layer": {"en": "output layer", "zh": "输出层"},
    "label.inputs": {"en": "inputs", "zh": "输入"},
    "label.outputs": {"en": "outputs", "zh": "输出"},
    "label.weights": {"en": "weights", "zh": "权重"},
    "label.bias": {"en": "bias", "zh": "偏置"},
}
_LANGUAGE_STRINGS: dict[str, dict[str, str]] = {
    "language.unknown": {"en": "language must be one of {choices}, not {lang!r}",
                         "zh": "语言必须是 {choices} 之一，而不是 {lang!r}"},
    "language.no_cjk_font": {
        "en": "No Chinese (CJK) font was found, so Chinese text in figures will show as empty boxes. "
              "Install one and run set_language('zh') again: on Debian/Ubuntu "
              "`sudo apt-get install fonts-noto-cjk`; on Colab run `!apt-get -qq install -y fonts-noto-cjk` "
              "in a cell, then re-run the cell that calls set_language('zh').",
        "zh": "没有找到中文（CJK）字体，图中的中文会显示成空白方框。请先安装一种中文字体，再运行一次 "
              "set_language('zh')：Debian/Ubuntu 上运行 `sudo apt-get install fonts-noto-cjk`；Colab 上在一个"
              "单元格中运行 `!apt-get -qq install -y fonts-noto-cjk`，然后重新运行调用 set_language('zh') 的单元格。",
    },
}
_DATA_STRINGS: dict[str, dict[str, str]] = {
    # The ten classes, in label order (one spelling each: "T恤").
    **{f"data.class_{i}": {"en": en, "zh": zh} for i, (en, zh) in enumerate(zip(
        ("t-shirt", "trouser", "pullover", "dress", "coat",
         "sandal", "shirt", "sneaker", "bag", "ankle boot"),
        ("T恤", "裤子", "套衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包", "短靴")))},
    "data.source": {"en": "Fashion-MNIST from {folder} ({kind})", "zh": "Fashion-MNIST，来自 {folder}（{kind}）"},
    "data.kind_root": {"en": "the root argument", "zh": "参数 root"},
    "data.kind_env": {"en": "the environment variable {env_var}", "zh": "环境变量 {env_var}"},
    "data.kind_default": {"en": "the default folder", "zh": "默认文件夹"},
    "data.kind_debian": {"en": "Debian's package {package}", "zh": "Debian 软件包 {package}"},
    "data.kind_download": {"en": "downloaded", "zh": "下载所得"},
    "data.missing": {
        "en": "Fashion-MNIST was not found and could not be downloaded ({reason}).\n"
              "Looked for the four files ({names}, each uncompressed or .gz) in these folders and in their "
              "FashionMNIST/raw/ subfolders:\n{looked}\n"
              "Get the data in one of these ways:\n"
              "  1. Debian/Ubuntu: sudo apt-get install {package}\n"
              "  2. Put the four files in a folder and set the environment variable {env_var} to it, "
              "or pass root=<that folder>.\n"
              "  3. Run this once on a machine with internet: the files are downloaded to {target}.",
        "zh": "没有找到 Fashion-MNIST，也无法下载（{reason}）。\n"
              "已在以下文件夹及其 FashionMNIST/raw/ 子文件夹中查找这四个文件（{names}，未压缩或 .gz 均可）：\n"
              "{looked}\n"
              "可以用以下任一方式获取数据：\n"
              "  1. Debian/Ubuntu：sudo apt-get install {package}\n"
              "  2. 把这四个文件放进一个文件夹，再把环境变量 {env_var} 设为这个文件夹，或者传入 root=<该文件夹>。\n"
              "  3. 在能联网的机器上运行一次：文件会下载到 {target}。",
    },
    "data.looked": {"en": "  - {folder} ({kind})", "zh": "  - {folder}（{kind}）"},
    "data.reason_no_download": {"en": "downloading was not allowed", "zh": "不允许下载"},
    "data.reason_mkdir": {"en": "cannot create {target}: {error}", "zh": "无法创建 {target}：{error}"},
    "data.reason_download": {"en": "the download failed: {error}", "zh": "下载失败：{error}"},
    "data.reason_corrupt": {"en": "the downloaded {name} {problem}; it was not saved",
                            "zh": "下载的 {name} {problem}，所以没有保存"},
    "data.reason_unlisted": {"en": "torchvision's FashionMNIST does not list {name}",
                             "zh": "torchvision 的 FashionMNIST 文件列表中没有 {name}"},
    "data.downloading": {"en": "Downloading Fashion-MNIST to {target} (with torchvision)",
                         "zh": "正在下载 Fashion-MNIST 到 {target}（通过 torchvision）"},
    "data.fix_debian": {"en": "Reinstall the package: sudo apt-get install --reinstall {package}",
                        "zh": "请重新安装这个软件包：sudo apt-get install --reinstall {package}"},
    "data.fix_delete": {"en": "Delete it and run again: the next call uses another source or re-downloads it, "
                              "or put the original file in its place.",
                        "zh": "请删除这个文件后重新运行：下次调用会改用其他来源或重新下载；也可以把原始文件放回原处。"},
    "data.bad_file": {"en": "Fashion-MNIST file {path} {problem}. {fix}",
                      "zh": "Fashion-MNIST 文件 {path} {problem}。{fix}"},
    "data.bad_gzip": {"en": "Fashion-MNIST file {path} is not a complete gzip file ({error}). {fix}",
                      "zh": "Fashion-MNIST 文件 {path} 不是完整的 gzip 文件（{error}）。{fix}"},
    "data.problem_truncated": {"en": "is truncated: {size} bytes, expected {expected}",
                               "zh": "不完整：只有 {size} 字节，应为 {expected} 字节"},
    "data.problem_too_long": {"en": "is too long: {size} bytes, expected {expected}",
                              "zh": "过长：有 {size} 字节，应为 {expected} 字节"},
    "data.problem_magic_images": {"en": "is not an idx file of images (magic number {magic}, expected {expected})",
                                  "zh": "不是存放图像的 idx 文件（魔数为 {magic}，应为 {expected}）"},
    "data.problem_magic_labels": {"en": "is not an idx file of labels (magic number {magic}, expected {expected})",
                                  "zh": "不是存放标签的 idx 文件（魔数为 {magic}，应为 {expected}）"},
    "data.problem_count": {"en": "holds {count} items, expected {expected}",
                           "zh": "含有 {count} 项，应为 {expected} 项"},
    "data.problem_shape": {"en": "holds {height}x{width} images, expected 28x28",
                           "zh": "中的图像是 {height}×{width}，应为 28×28"},
    "data.problem_label": {"en": "holds the label {label}; labels are 0 to 9",
                           "zh": "含有标签 {label}，而标签只能是 0 到 9"},
    "data.problem_digest": {"en": "differs from the original (SHA-256 {digest}, expected {expected})",
                            "zh": "与原始文件不同（SHA-256 为 {digest}，应为 {expected}）"},
    "data.bad_images": {"en": "images must be a uint8 tensor [N, C, H, W], not {dtype} {shape}",
                        "zh": "images 必须是形状为 [N, C, H, W] 的 uint8 张量，而不是 {dtype} {shape}"},
    "data.bad_labels": {"en": "labels must be a 1-D tensor with one label per image ({count}), not of shape {shape}",
                        "zh": "labels 必须是一维张量，每张图像一个标签（共 {count} 个），而不是形状为 {shape} 的张量"},
    "data.bad_resize": {"en": "resize must be None, a positive int or a pair (height, width) of positive ints, "
                              "not {resize!r}",
                        "zh": "resize 必须是 None、正整数或由两个正整数组成的 (height, width)，而不是 {resize!r}"},
    "data.bad_label_value": {"en": "Fashion-MNIST labels are integers 0 to 9, not {value!r}",
                             "zh": "Fashion-MNIST 的标签是 0 到 9 的整数，而不是 {value!r}"},
    "data.split_not_loader": {"en": "split_validation needs a d2l.TensorLoader (what load_data_fashion_mnist "
                                    "returns), not a {type}",
                              "zh": "split_validation 需要 d2l.TensorLoader（即 load_data_fashion_mnist 返回的"
                                    "数据迭代器），而不是 {type}"},
    "data.split_too_large": {"en": "num_valid={num_valid} leaves no training examples: the loader holds {n}; "
                                   "choose num_valid below {n}",
                             "zh": "num_valid={num_valid} 会让训练集一个样本都不剩：这个数据迭代器只有 {n} 个样本，"
                                   "请让 num_valid 小于 {n}"},
}
_TRAINING_STRINGS: dict[str, dict[str, str]] = {
    "training.accumulator_arity": {"en": "Accumulator holds {n} sums, add() got {got} values",
                                   "zh": "Accumulator 保存 {n} 个累加和，add() 却收到了 {got} 个值"},
    "training.empty_eval": {"en": "evaluate_accuracy got no examples: the data iterator is empty",
                            "zh": "evaluate_accuracy 没有拿到任何样本：数据迭代器是空的"},
    "training.empty_train": {"en": "train_epoch_ch3 got no examples: the training iterator is empty",
                             "zh": "train_epoch_ch3 没有拿到任何样本：训练数据迭代器是空的"},
    "training.empty_test": {"en": "train_ch3 got an empty test iterator",
                            "zh": "train_ch3 的测试数据迭代器是空的"},
    "training.mean_loss": {"en": "train_epoch_ch3 needs one loss per example: build the loss with "
                                 "reduction='none', e.g. nn.CrossEntropyLoss(reduction='none')",
                           "zh": "train_epoch_ch3 需要每个样本各自的损失：请用 reduction='none' 构造损失函数，"
                                 "例如 nn.CrossEntropyLoss(reduction='none')"},
    "training.device_mismatch": {"en": "train_ch3 was asked to train on {device}, but the updater's parameters "
                                       "are on {params}, and a net written as a function cannot be moved: create "
                                       "its parameters on {device}, or pass device={params!r}",
                                 "zh": "train_ch3 要在 {device} 上训练，但更新器的参数在 {params} 上，而写成函数的"
                                       "网络无法移动：请在 {device} 上创建参数，或者传入 device={params!r}"},
    "training.diverged": {
        "en": "Training diverged in epoch {epoch} of {num_epochs}: the training loss {what}. The usual cause is a "
              "learning rate that is too large: each update overshoots, so the loss grows instead of shrinking "
              "(until it overflows to inf or nan). Re-initialise the parameters and train again with a smaller "
              "learning rate (try 10 times smaller).",
        "zh": "训练在第 {epoch} 个迭代周期（共 {num_epochs} 个）发散了：训练损失{what}。最常见的原因是学习率太大："
              "每次更新都迈得太远，损失不降反升（直到溢出成 inf 或 nan）。请重新初始化参数，再用更小的学习率"
              "训练（试试原来的十分之一）。",
    },
    "training.diverged_not_finite": {"en": "became {loss} (not a finite number)",
                                     "zh": "变成了 {loss}（不是有限的数）"},
    "training.diverged_exploded": {"en": "exploded to {loss:.3g} (before training it was {initial:.3g})",
                                   "zh": "暴涨到 {loss:.3g}（训练前是 {initial:.3g}）"},
    "training.no_epoch": {"en": "History: no epoch trained", "zh": "History：还没有训练任何迭代周期"},
    "training.seconds": {"en": " ({seconds:.1f} s)", "zh": "（{seconds:.1f} 秒）"},
}
_ACTIVATION_STRINGS: dict[str, dict[str, str]] = {
    "activations.not_tensor": {"en": "x must be a torch.Tensor, e.g. torch.arange(-8.0, 8.0, 0.1), not {type}",
                               "zh": "x 必须是 torch.Tensor，例如 torch.arange(-8.0, 8.0, 0.1)，而不是 {type}"},
    "activations.not_float": {"en": "x must hold floating-point numbers (it holds {dtype}); use x.float()",
                              "zh": "x 必须是浮点数张量（现在是 {dtype}），请先用 x.float() 转换"},
}
_WIDGET_STRINGS: dict[str, dict[str, str]] = {
    "widgets.no_anywidget": {
        "en": "The sliders need the anywidget package (Colab has it): run `%pip install anywidget`, "
              "then restart the kernel",
        "zh": "滑块需要 anywidget 包（Colab 已自带）：请运行 `%pip install anywidget`，然后重启内核"},
    "widgets.frames_empty": {
        "en": "frames must be a non-empty list of images (PNG or SVG files as bytes)",
        "zh": "frames 必须是非空的图像列表（以 bytes 表示的 PNG 或 SVG 文件）"},
    "widgets.frame_type": {
        "en": "frames[{position}] must be a PNG or SVG image as bytes, not {type}",
        "zh": "frames[{position}] 必须是以 bytes 表示的 PNG 或 SVG 图像，而不是 {type}"},
    "widgets.texts": {
        "en": "{what} must be a list of strings, one per frame (description: one string)",
        "zh": "{what} 必须是字符串列表，每帧一个（description 为一个字符串）"},
    "widgets.counts": {
        "en": "give one label and one alt text per frame: {frames} frames, {labels} labels, {alts} alt texts",
        "zh": "每帧需要一个标签和一段替代文本：现有 {frames} 帧、{labels} 个标签、{alts} 段替代文本"},
    "widgets.index": {
        "en": "index must be a whole number from 0 to {last}, not {value!r}",
        "zh": "index 必须是 0 到 {last} 之间的整数，而不是 {value!r}"},
    "widgets.values_type": {
        "en": "values must be a list of numbers such as [0.0, 0.25, 0.5], not {type}",
        "zh": "values 必须是数的列表（例如 [0.0, 0.25, 0.5]），而不是 {type}"},
    "widgets.values_empty": {
        "en": "values is empty: give the parameter values the slider steps through, e.g. [0.0, 0.25, 0.5]",
        "zh": "values 为空：请给出滑块依次取的参数值，例如 [0.0, 0.25, 0.5]"},
    "widgets.values_differ": {
        "en": "values must differ as the slider shows them (6 significant digits): {labels}",
        "zh": "values 中的值按滑块的显示方式（6 位有效数字）必须互不相同：{labels}"},
    "widgets.fn_type": {
        "en": "fn must be a function fn(x, value) -> tensor, not {type}",
        "zh": "fn 必须是形如 fn(x, value) -> 张量 的函数，而不是 {type}"},
    "widgets.names": {
        "en": "name and param must be non-empty strings, e.g. name='pReLU', param='α'",
        "zh": "name 和 param 必须是非空字符串，例如 name='pReLU'、param='α'"},
    "widgets.x_type": {
        "en": "x must be a 1-D floating-point tensor of at least 2 points, e.g. torch.arange(-8.0, 8.0, 0.1)",
        "zh": "x 必须是至少含 2 个点的一维浮点张量，例如 torch.arange(-8.0, 8.0, 0.1)"},
    "widgets.x_finite": {
        "en": "x must hold finite numbers only",
        "zh": "x 中只能有有限的数"},
    "widgets.fn_raised": {
        "en": "fn(x, {value}) raised {error}: {detail}",
        "zh": "fn(x, {value}) 抛出了 {error}：{detail}"},
    "widgets.fn_shape": {
        "en": "fn(x, {value}) must return a tensor shaped like x {shape}, got {got}",
        "zh": "fn(x, {value}) 必须返回与 x 形状相同 {shape} 的张量，实际得到 {got}"},
    "widgets.fn_no_grad": {
        "en": "fn(x, {value}) is not differentiable by autograd: build it from x with torch operations "
              "(no .detach(), .item() or numpy)",
        "zh": "fn(x, {value}) 无法由自动微分求导：请用 torch 运算由 x 构造结果（不要用 .detach()、.item() 或 numpy）"},
    "widgets.fn_autograd": {
        "en": "autograd could not differentiate fn(x, {value}): {detail}",
        "zh": "自动微分无法对 fn(x, {value}) 求导：{detail}"},
    "widgets.no_finite": {
        "en": "fn returned no finite values to plot",
        "zh": "fn 没有返回可以绘制的有限值"},
    "widgets.alt": {
        "en": "{name}(x) and its derivative, {label}",
        "zh": "{name}(x) 及其导数，{label}"},
}
# Section of plotting.py (kept by the helper who owns plotting.py).
_PLOTTING_STRINGS: dict[str, dict[str, str]] = {
    "plot.series_count": {"en": "plot got {xs} x series for {ys} y series; pass one X or one per Y",
                          "zh": "plot 收到 {xs} 组 x 数据、{ys} 组 y 数据；请只传一组 X，或者为每组 Y 各传一组 X"},
    "plot.series_length": {"en": "plot got an x series of length {x} for a y series of length {y}",
                           "zh": "plot 收到的 x 数据长度为 {x}，而对应的 y 数据长度为 {y}，两者必须相同"},
    "plot.grid_size": {"en": "num_rows and num_cols must be at least 1, got {rows} and {cols}",
                       "zh": "num_rows 和 num_cols 都必须至少为 1，现在是 {rows} 和 {cols}"},
    "plot.titles": {"en": "show_images got {titles} titles for {images} images",
                    "zh": "show_images 收到 {titles} 个标题，却有 {images} 张图像"},
    "plot.animator_values": {"en": "Animator.add expects {expected} y values (and one x or one per y), "
                                   "got {xs} x and {ys} y",
                             "zh": "Animator.add 需要 {expected} 个 y 值（以及一个 x，或每个 y 各一个 x），"
                                   "现在收到 {xs} 个 x 和 {ys} 个 y"},
    "plot.mlp_sizes": {"en": "sizes must list at least two layer widths, each an integer of at least 1, "
                             "e.g. [4, 5, 3]; got {sizes!r}",
                       "zh": "sizes 必须列出至少两层的宽度，每个都是不小于 1 的整数，例如 [4, 5, 3]；现在是 {sizes!r}"},
    "plot.mlp_names": {"en": "names must give one name per layer ({layers}), got {names}",
                       "zh": "names 必须为每一层各给一个名字（共 {layers} 层），现在给了 {names} 个"},
    "plot.classes_shape": {"en": "show_classes needs points of shape (n, 2) and n labels of 0 or 1; "
                                 "got points of shape {shape} and {labels} labels",
                           "zh": "show_classes 需要形状为 (n, 2) 的点和 n 个取 0 或 1 的标签；"
                                 "现在点的形状是 {shape}，标签有 {labels} 个"},
    "plot.layer_width": {"en": "{name}\n({size})", "zh": "{name}\n（{size}）"},
}
_PLAYGROUND_STRINGS: dict[str, dict[str, str]] = {
    "playground.choice": {"en": "{name} must be one of {allowed}, not {value!r}",
                          "zh": "{name} 必须是 {allowed} 之一，而不是 {value!r}"},
    "playground.range": {"en": "{name} must be between {low:g} and {high:g}, not {value:g}",
                         "zh": "{name} 必须在 {low:g} 到 {high:g} 之间，而不是 {value:g}"},
    "playground.integer": {"en": "{name} must be a whole number from {low} to {high}, not {value!r}",
                           "zh": "{name} 必须是 {low} 到 {high} 之间的整数，而不是 {value!r}"},
    "playground.hiddens": {"en": "hiddens must be 1 to 3 hidden layers of 1 to 8 units each, "
                                 "such as (4,) or (8, 8), not {value!r}",
                           "zh": "hiddens 必须是 1 到 3 个隐藏层、每层 1 到 8 个单元，例如 (4,) 或 (8, 8)，"
                                 "而不是 {value!r}"},
    "playground.no_anywidget": {"en": "the playground needs the anywidget package: run `%pip install anywidget` "
                                      "in a cell, restart the kernel, and run this cell again",
                                "zh": "交互实验需要 anywidget 包：请在单元格中运行 `%pip install anywidget`，"
                                      "重启内核后再运行这个单元格"},
    "playground.repr": {"en": "Playground: {dataset}, hidden layers {hiddens}, {activation}, learning rate {lr:g}",
                        "zh": "交互实验：{dataset}，隐藏层 {hiddens}，{activation}，学习率 {lr:g}"},
    "playground.ui.train": {"en": "Train", "zh": "训练"},
    "playground.ui.pause": {"en": "Pause", "zh": "暂停"},
    "playground.ui.step": {"en": "Step", "zh": "单步"},
    "playground.ui.reset": {"en": "Reset", "zh": "重置"},
    "playground.ui.dataset": {"en": "data", "zh": "数据集"},
    "playground.ui.noise": {"en": "noise", "zh": "噪声"},
    "playground.ui.split": {"en": "training share", "zh": "训练集占比"},
    "playground.ui.layers": {"en": "hidden layers", "zh": "隐藏层数"},
    "playground.ui.units": {"en": "units in layer {layer}", "zh": "第 {layer} 层单元数"},
    "playground.ui.activation": {"en": "activation", "zh": "激活函数"},
    "playground.ui.lr": {"en": "learning rate", "zh": "学习率"},
    "playground.ui.batch": {"en": "batch size", "zh": "批量大小"},
    "playground.ui.train_loss": {"en": "train loss", "zh": "训练损失"},
    "playground.ui.test_loss": {"en": "test loss", "zh": "测试损失"},
    "playground.ui.test_accuracy": {"en": "test accuracy", "zh": "测试准确率"},
    "playground.ui.steps": {"en": "steps", "zh": "训练步数"},
    "playground.ui.network": {"en": "The network: each square is a unit drawn over the plane; "
                                    "line width and colour show each weight's size and sign",
                              "zh": "网络：每个方块是一个单元在整个平面上的输出，连线的粗细和颜色表示权重的大小和正负"},
    "playground.ui.boundary": {"en": "Decision boundary and data points",
                               "zh": "决策边界和数据点"},
    "playground.ui.curves": {"en": "Train and test loss during training",
                             "zh": "训练过程中的训练损失和测试损失"},
    "playground.ui.legend": {"en": "Blue: class 1 and positive weights; orange: class 0 and negative weights. "
                                   "White-edged points: training data; black-edged: test data. "
                                   "Curves: train loss (dark) and test loss (grey).",
                             "zh": "蓝色表示类别 1 和正权重，橙色表示类别 0 和负权重。白边的点是训练数据，"
                                   "黑边的点是测试数据。曲线中深色为训练损失，灰色为测试损失。"},
    "playground.data.xor": {"en": "XOR", "zh": "异或"},
    "playground.data.circles": {"en": "circles", "zh": "圆环"},
    "playground.data.spirals": {"en": "two spirals", "zh": "双螺旋"},
    "playground.data.gauss": {"en": "Gaussian blobs", "zh": "高斯团"},
}
_CHECK_STRINGS: dict[str, dict[str, str]] = {
    "check.not_real": {"en": "{name} must be a real number such as 0.25, not {value!r} (a {type})",
                       "zh": "{name} 必须是实数（例如 0.25），而不是 {value!r}（类型为 {type}）"},
    "check.not_finite": {"en": "{name} must be a finite number, not {value}",
                         "zh": "{name} 必须是有限的数，而不是 {value}"},
    "check.not_count": {"en": "{name} must be an integer of at least {minimum}, not {value!r}",
                        "zh": "{name} 必须是不小于 {minimum} 的整数，而不是 {value!r}"},
}

#: The table: every section above, merged (a key may appear in one section only).
STRINGS: dict[str, dict[str, str]] = {
    **_PUNCTUATION_STRINGS, **_LABEL_STRINGS, **_LANGUAGE_STRINGS, **_DATA_STRINGS, **_TRAINING_STRINGS,
    **_ACTIVATION_STRINGS, **_PLOTTING_STRINGS, **_WIDGET_STRINGS, **_PLAYGROUND_STRINGS, **_CHECK_STRINGS,
}


def message(key: str, **fields: object) -> str:
    """The string ``key`` of the table in the current language, formatted with ``fields``."""
    return STRINGS[key][_state["lang"]].format(**fields)


_state = {"lang": "en", "font": None, "unicode_minus": None, "warned": False}


def get_language() -> str:
    """The current language: ``"en"`` (the default) or ``"zh"``."""
    return _state["lang"]


def translate(key: str) -> str:
    """``key`` (an English label such as ``"train loss"``) in the current language; unknown keys unchanged.

    The labels are the table's ``"label.<key>"`` entries.
    """
    entry = STRINGS.get(f"label.{key}") if isinstance(key, str) else None
    return key if entry is None else entry[_state["lang"]]


def _registered_cjk_font() -> str | None:
    """The best CJK font in matplotlib's font list, or None."""
    names = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONT_NAMES if name in names), None)


def cjk_font() -> str | None:
    """Name of an installed CJK font matplotlib can use, or None.

    Fonts on disk that matplotlib's font list lacks (installed after its cache was built)
    are registered with ``font_manager.fontManager.addfont``.
    """
    name = _registered_cjk_font()
    if name is not None:
        return name
    fonts = font_manager.fontManager.ttflist
    names_by_file = {font.fname: font.name for font in fonts}
    found = []  # names of CJK font files, for fonts with a name not in CJK_FONT_NAMES
    for path in font_manager.findSystemFonts():
        if not any(hint in Path(path).name.lower() for hint in _CJK_FILE_HINTS):
            continue
        if path in names_by_file:
            found.append(names_by_file[path])
            continue
        try:
            before = len(fonts)
            font_manager.fontManager.addfont(path)
            found.extend(font.name for font in fonts[before:])
        except (OSError, RuntimeError, ValueError):
            continue  # an unreadable font file: try the next one
    return _registered_cjk_font() or (found[0] if found else None)


def _use_font(name: str | None) -> None:
    """Put ``name`` first in matplotlib's sans-serif list (None: undo what d2lutils changed)."""
    rc = mpl.rcParams
    old = _state["font"]
    if old is not None:
        rc["font.sans-serif"] = [f for f in rc["font.sans-serif"] if f != old]
        rc["axes.unicode_minus"] = _state["unicode_minus"]
        _state["font"] = None
    if name is not None:
        _state["unicode_minus"] = rc["axes.unicode_minus"]
        rc["font.sans-serif"] = [name] + [f for f in rc["font.sans-serif"] if f != name]
        rc["axes.unicode_minus"] = False
        _state["font"] = name


def set_language(lang: str) -> None:
    """Use ``"en"`` or ``"zh"`` for the labels d2lutils draws; ``"zh"`` also sets a CJK font."""
    if lang not in LANGUAGES:
        raise ValueError(message("language.unknown", choices=", ".join(map(repr, LANGUAGES)), lang=lang))
    _state["lang"] = lang
    if lang == "en":
        _use_font(None)
        return
    name = cjk_font()
    _use_font(name)
    if name is None and not _state["warned"]:
        _state["warned"] = True
        warnings.warn(message("language.no_cjk_font"), UserWarning, stacklevel=2)
