"""The Chinese catalog: every user-facing string of d2lutils, keyed by its English text.

The gettext convention: code writes the English text, ``_("...")`` (or ``N_`` where the text is
translated later) in ``language.py`` looks it up here; a text missing here is shown in English.
``tests/test_language.py`` checks that every text the code passes to ``_``/``N_`` is here, with the
same ``{placeholders}``, and that nothing here is unused.

One section per module (``# data``, ...); a text that several modules use is under ``# shared``.
An entry that does not fit in 110 columns is written as the English text in pieces (Python joins
adjacent strings), the Chinese indented below it. Chinese uses full-width punctuation (，。：；（）).
"""

ZH: dict[str, str] = {
    # shared: punctuation and words several modules use
    ": ": "：",
    ", ": "，",
    "train loss": "训练损失",
    "{name} must be an integer of at least {minimum}, not {value!r}":
        "{name} 必须是不小于 {minimum} 的整数，而不是 {value!r}",
    # language
    "language must be one of {choices}, not {lang!r}": "语言必须是 {choices} 之一，而不是 {lang!r}",
    "No Chinese (CJK) font was found, so Chinese text in figures will show as empty boxes. Install one and "
    "run set_language('zh') again: on Debian/Ubuntu `sudo apt-get install fonts-noto-cjk`; on Colab run "
    "`!apt-get -qq install -y fonts-noto-cjk` in a cell, then re-run the cell that calls set_language('zh').":
        "没有找到中文（CJK）字体，图中的中文会显示成空白方框。请先安装一种中文字体，"
        "再运行一次 set_language('zh')：Debian/Ubuntu 上运行 `sudo apt-get install fonts-noto-cjk`；"
        "Colab 上在一个单元格中运行 `!apt-get -qq install -y fonts-noto-cjk`，"
        "然后重新运行调用 set_language('zh') 的单元格。",
    # _checks
    "{name} must be a real number such as 0.25, not {value!r} (a {type})":
        "{name} 必须是实数（例如 0.25），而不是 {value!r}（类型为 {type}）",
    "{name} must be a finite number, not {value}": "{name} 必须是有限的数，而不是 {value}",
    # data
    "t-shirt": "T恤",
    "trouser": "裤子",
    "pullover": "套衫",
    "dress": "连衣裙",
    "coat": "外套",
    "sandal": "凉鞋",
    "shirt": "衬衫",
    "sneaker": "运动鞋",
    "bag": "包",
    "ankle boot": "短靴",
    "Fashion-MNIST from {folder} ({kind})": "Fashion-MNIST，来自 {folder}（{kind}）",
    "the root argument": "参数 root",
    "the environment variable {env_var}": "环境变量 {env_var}",
    "the default folder": "默认文件夹",
    "Debian's package {package}": "Debian 软件包 {package}",
    "downloaded": "下载所得",
    "Fashion-MNIST was not found and could not be downloaded ({reason}).\n"
    "Looked for the four files ({names}, each uncompressed or .gz) in these folders and in their "
    "FashionMNIST/raw/ subfolders:\n"
    "{looked}\n"
    "Get the data in one of these ways:\n"
    "  1. Debian/Ubuntu: sudo apt-get install {package}\n"
    "  2. Put the four files in a folder and set the environment variable {env_var} to it, or pass "
    "root=<that folder>.\n"
    "  3. Run this once on a machine with internet: the files are downloaded to {target}.":
        "没有找到 Fashion-MNIST，也无法下载（{reason}）。\n"
        "已在以下文件夹及其 FashionMNIST/raw/ 子文件夹中查找这四个文件（{names}，"
        "未压缩的或 gzip 压缩的均可）：\n"
        "{looked}\n"
        "可以用以下任一方式获取数据：\n"
        "  1. Debian/Ubuntu：sudo apt-get install {package}\n"
        "  2. 把这四个文件放进一个文件夹，再把环境变量 {env_var} 设为这个文件夹，"
        "或者传入 root=<该文件夹>。\n"
        "  3. 在能联网的机器上运行一次：文件会下载到 {target}。",
    "  - {folder} ({kind})": "  - {folder}（{kind}）",
    "downloading was not allowed": "不允许下载",
    "cannot create {target}: {error}": "无法创建 {target}：{error}",
    "the download failed: {error}": "下载失败：{error}",
    "the downloaded {name} {problem}; it was not saved": "下载的 {name} {problem}，所以没有保存",
    "torchvision's FashionMNIST does not list {name}": "torchvision 的 FashionMNIST 文件列表中没有 {name}",
    "Downloading Fashion-MNIST to {target} (with torchvision)":
        "正在下载 Fashion-MNIST 到 {target}（通过 torchvision）",
    "Reinstall the package: sudo apt-get install --reinstall {package}":
        "请重新安装这个软件包：sudo apt-get install --reinstall {package}",
    "Delete it and run again: the next call uses another source or re-downloads it, or put the original "
    "file in its place.":
        "请删除这个文件后重新运行：下次调用会改用其他来源或重新下载；也可以把原始文件放回原处。",
    "Fashion-MNIST file {path} {problem}. {fix}": "Fashion-MNIST 文件 {path} {problem}。{fix}",
    "Fashion-MNIST file {path} is not a complete gzip file ({error}). {fix}":
        "Fashion-MNIST 文件 {path} 不是完整的 gzip 文件（{error}）。{fix}",
    "is truncated: {size} bytes, expected {expected}": "不完整：只有 {size} 字节，应为 {expected} 字节",
    "is too long: {size} bytes, expected {expected}": "过长：有 {size} 字节，应为 {expected} 字节",
    "is not an idx file of images (magic number {magic}, expected {expected})":
        "不是存放图像的 idx 文件（魔数为 {magic}，应为 {expected}）",
    "is not an idx file of labels (magic number {magic}, expected {expected})":
        "不是存放标签的 idx 文件（魔数为 {magic}，应为 {expected}）",
    "holds {count} items, expected {expected}": "含有 {count} 项，应为 {expected} 项",
    "holds {height}x{width} images, expected 28x28": "中的图像是 {height}×{width}，应为 28×28",
    "holds the label {label}; labels are 0 to 9": "含有标签 {label}，而标签只能是 0 到 9",
    "differs from the original (SHA-256 {digest}, expected {expected})":
        "与原始文件不同（SHA-256 为 {digest}，应为 {expected}）",
    "images must be a uint8 tensor [N, C, H, W], not {dtype} {shape}":
        "images 必须是形状为 [N, C, H, W] 的 uint8 张量，而不是 {dtype} {shape}",
    "labels must be a 1-D tensor with one label per image ({count}), not of shape {shape}":
        "labels 必须是一维张量，每张图像一个标签（共 {count} 个），而不是形状为 {shape} 的张量",
    "resize must be None, a positive int or a pair (height, width) of positive ints, not {resize!r}":
        "resize 必须是 None、正整数或由两个正整数组成的 (height, width)，而不是 {resize!r}",
    "Fashion-MNIST labels are integers 0 to 9, not {value!r}":
        "Fashion-MNIST 的标签是 0 到 9 的整数，而不是 {value!r}",
    "split_validation needs a d2l.TensorLoader (what load_data_fashion_mnist returns), not a {type}":
        "split_validation 需要 d2l.TensorLoader（即 load_data_fashion_mnist 返回的数据迭代器），"
        "而不是 {type}",
    "num_valid={num_valid} leaves no training examples: the loader holds {n}; choose num_valid below {n}":
        "num_valid={num_valid} 会让训练集一个样本都不剩：这个数据迭代器只有 {n} 个样本，"
        "请让 num_valid 小于 {n}",
    # training
    "epoch": "迭代周期",
    "train acc": "训练准确率",
    "test acc": "测试准确率",
    "true": "真实",
    "pred": "预测",
    "Accumulator holds {n} sums, add() got {got} values":
        "Accumulator 保存 {n} 个累加和，add() 却收到了 {got} 个值",
    "evaluate_accuracy got no examples: the data iterator is empty":
        "evaluate_accuracy 没有拿到任何样本：数据迭代器是空的",
    "train_epoch_ch3 got no examples: the training iterator is empty":
        "train_epoch_ch3 没有拿到任何样本：训练数据迭代器是空的",
    "train_ch3 got an empty test iterator": "train_ch3 的测试数据迭代器是空的",
    "train_epoch_ch3 needs one loss per example: build the loss with reduction='none', e.g. "
    "nn.CrossEntropyLoss(reduction='none')":
        "train_epoch_ch3 需要每个样本各自的损失：请用 reduction='none' 构造损失函数，"
        "例如 nn.CrossEntropyLoss(reduction='none')",
    "train_ch3 was asked to train on {device}, but the updater's parameters are on {params}, and a net "
    "written as a function cannot be moved: create its parameters on {device}, or pass device={params!r}":
        "train_ch3 要在 {device} 上训练，但更新器的参数在 {params} 上，而写成函数的网络无法移动："
        "请在 {device} 上创建参数，或者传入 device={params!r}",
    "Training diverged in epoch {epoch} of {num_epochs}: the training loss {what}. The usual cause is a "
    "learning rate that is too large: each update overshoots, so the loss grows instead of shrinking (until "
    "it overflows to inf or nan). Re-initialise the parameters and train again with a smaller learning rate "
    "(try 10 times smaller).":
        "训练在第 {epoch} 个迭代周期（共 {num_epochs} 个）发散了：训练损失{what}。最常见的原因是学习率太大："
        "每次更新都迈得太远，损失不降反升（直到溢出成 inf 或 nan）。请重新初始化参数，"
        "再用更小的学习率训练（试试原来的十分之一）。",
    "became {loss} (not a finite number)": "变成了 {loss}（不是有限的数）",
    "exploded to {loss:.3g} (before training it was {initial:.3g})":
        "暴涨到 {loss:.3g}（训练前是 {initial:.3g}）",
    "History: no epoch trained": "History：还没有训练任何迭代周期",
    " ({seconds:.1f} s)": "（{seconds:.1f} 秒）",
    # plotting
    "plot got {xs} x series for {ys} y series; pass one X or one per Y":
        "plot 收到 {xs} 组 x 数据、{ys} 组 y 数据；请只传一组 X，或者为每组 Y 各传一组 X",
    "plot got an x series of length {x} for a y series of length {y}":
        "plot 收到的 x 数据长度为 {x}，而对应的 y 数据长度为 {y}，两者必须相同",
    "num_rows and num_cols must be at least 1, got {rows} and {cols}":
        "num_rows 和 num_cols 都必须至少为 1，现在是 {rows} 和 {cols}",
    "show_images got {titles} titles for {images} images":
        "show_images 收到 {titles} 个标题，却有 {images} 张图像",
    "Animator.add expects {expected} y values (and one x or one per y), got {xs} x and {ys} y":
        "Animator.add 需要 {expected} 个 y 值（以及一个 x，或每个 y 各一个 x），"
        "现在收到 {xs} 个 x 和 {ys} 个 y",
    "sizes must list at least two layer widths, each an integer of at least 1, e.g. [4, 5, 3]; got {sizes!r}":
        "sizes 必须列出至少两层的宽度，每个都是不小于 1 的整数，例如 [4, 5, 3]；现在是 {sizes!r}",
    "names must give one name per layer ({layers}), got {names}":
        "names 必须为每一层各给一个名字（共 {layers} 层），现在给了 {names} 个",
    "show_classes needs points of shape (n, 2) and n labels of 0 or 1; got points of shape {shape} and "
    "{labels} labels":
        "show_classes 需要形状为 (n, 2) 的点和 n 个取 0 或 1 的标签；现在点的形状是 {shape}，"
        "标签有 {labels} 个",
    "{name}\n({size})": "{name}\n（{size}）",
    "input layer": "输入层",
    "hidden layer": "隐藏层",
    "output layer": "输出层",
    "valid acc": "验证准确率",
    "loss": "损失",
    "accuracy": "准确率",
    "gradient": "梯度",
    "hidden units": "隐藏单元",
    "inputs": "输入",
    "outputs": "输出",
    "weights": "权重",
    "bias": "偏置",
    # activations
    "x must be a torch.Tensor, e.g. torch.arange(-8.0, 8.0, 0.1), not {type}":
        "x 必须是 torch.Tensor，例如 torch.arange(-8.0, 8.0, 0.1)，而不是 {type}",
    "x must hold floating-point numbers (it holds {dtype}); use x.float()":
        "x 必须是浮点数张量（现在是 {dtype}），请先用 x.float() 转换",
    # widgets
    "derivative": "导数",
    "frames must be a non-empty list of images (PNG or SVG files as bytes)":
        "frames 必须是非空的图像列表（以 bytes 表示的 PNG 或 SVG 文件）",
    "frames[{position}] must be a PNG or SVG image as bytes, not {type}":
        "frames[{position}] 必须是以 bytes 表示的 PNG 或 SVG 图像，而不是 {type}",
    "{what} must be a list of strings, one per frame (description: one string)":
        "{what} 必须是字符串列表，每帧一个（description 为一个字符串）",
    "give one label and one alt text per frame: {frames} frames, {labels} labels, {alts} alt texts":
        "每帧需要一个标签和一段替代文本：现有 {frames} 帧、{labels} 个标签、{alts} 段替代文本",
    "index must be a whole number from 0 to {last}, not {value!r}":
        "index 必须是 0 到 {last} 之间的整数，而不是 {value!r}",
    "values must be a list of numbers such as [0.0, 0.25, 0.5], not {type}":
        "values 必须是数的列表（例如 [0.0, 0.25, 0.5]），而不是 {type}",
    "values is empty: give the parameter values the slider steps through, e.g. [0.0, 0.25, 0.5]":
        "values 为空：请给出滑块依次取的参数值，例如 [0.0, 0.25, 0.5]",
    "values must differ as the slider shows them (6 significant digits): {labels}":
        "values 中的值按滑块的显示方式（6 位有效数字）必须互不相同：{labels}",
    "fn must be a function fn(x, value) -> tensor, not {type}":
        "fn 必须是形如 fn(x, value) -> 张量 的函数，而不是 {type}",
    "name and param must be non-empty strings, e.g. name='pReLU', param='α'":
        "name 和 param 必须是非空字符串，例如 name='pReLU'、param='α'",
    "x must be a 1-D floating-point tensor of at least 2 points, e.g. torch.arange(-8.0, 8.0, 0.1)":
        "x 必须是至少含 2 个点的一维浮点张量，例如 torch.arange(-8.0, 8.0, 0.1)",
    "x must hold finite numbers only": "x 中只能有有限的数",
    "fn(x, {value}) raised {error}: {detail}": "fn(x, {value}) 抛出了 {error}：{detail}",
    "fn(x, {value}) must return a tensor shaped like x {shape}, got {got}":
        "fn(x, {value}) 必须返回与 x 形状相同 {shape} 的张量，实际得到 {got}",
    "fn(x, {value}) is not differentiable by autograd: build it from x with torch operations (no .detach(), "
    ".item() or numpy)":
        "fn(x, {value}) 无法由自动微分求导：请用 torch 运算由 x 构造结果（不要用 .detach()、"
        ".item() 或 numpy）",
    "autograd could not differentiate fn(x, {value}): {detail}":
        "自动微分无法对 fn(x, {value}) 求导：{detail}",
    "fn returned no finite values to plot": "fn 没有返回可以绘制的有限值",
    "{name}(x) and its derivative, {label}": "{name}(x) 及其导数，{label}",
    # playground
    "test loss": "测试损失",
    "learning rate": "学习率",
    "{name} must be one of {allowed}, not {value!r}": "{name} 必须是 {allowed} 之一，而不是 {value!r}",
    "{name} must be between {low:g} and {high:g}, not {value:g}":
        "{name} 必须在 {low:g} 到 {high:g} 之间，而不是 {value:g}",
    "{name} must be a whole number from {low} to {high}, not {value!r}":
        "{name} 必须是 {low} 到 {high} 之间的整数，而不是 {value!r}",
    "hiddens must be 1 to 3 hidden layers of 1 to 8 units each, such as (4,) or (8, 8), not {value!r}":
        "hiddens 必须是 1 到 3 个隐藏层、每层 1 到 8 个单元，例如 (4,) 或 (8, 8)，而不是 {value!r}",
    "Train": "训练",
    "Pause": "暂停",
    "Step": "单步",
    "Reset": "重置",
    "data": "数据集",
    "noise": "噪声",
    "training share": "训练集占比",
    "hidden layers": "隐藏层数",
    "units in layer {layer}": "第 {layer} 层单元数",
    "activation": "激活函数",
    "batch size": "批量大小",
    "test accuracy": "测试准确率",
    "steps": "训练步数",
    "The network: each square is a unit drawn over the plane; line width and colour show each weight's size "
    "and sign":
        "网络：每个方块是一个单元在整个平面上的输出，连线的粗细和颜色表示权重的大小和正负",
    "Decision boundary and data points": "决策边界和数据点",
    "Train and test loss during training": "训练过程中的训练损失和测试损失",
    "Blue: class 1 and positive weights; orange: class 0 and negative weights. White-edged points: training "
    "data; black-edged: test data; squares: your points (training data). Curves: train loss (dark) and test "
    "loss (grey).":
        "蓝色表示类别 1 和正权重，橙色表示类别 0 和负权重。白边的点是训练数据，黑边的点是测试数据，"
        "方块是你添加的数据点（属于训练数据）。曲线中深色为训练损失，灰色为测试损失。",
    "XOR": "异或",
    "circles": "圆环",
    "two spirals": "双螺旋",
    "two Gaussian clusters": "两个高斯簇",
    "learn α or β": "学习 α 或 β",
    "weight decay": "权重衰减",
    "train loss without the penalty": "训练损失（不含惩罚项）",
    "L2 penalty": "L2 惩罚项",
    "this is not a network the playground exported: {detail}": "这不是交互实验导出的网络：{detail}",
    "Export to PyTorch": "导出到 PyTorch",
    "class of new points": "新数据点的类别",
    "The link to this page held playground settings that are not valid: they were ignored.":
        "这个页面的链接中带有无效的交互实验设置，已忽略。",
    "own_points must be at most 200 points (x, y, label), x and y from -6 to 6 and label 0 or 1, such as "
    "[(1.5, -2.0, 1)], not {value}":
        "own_points 必须是至多 200 个数据点 (x, y, label)，x 和 y 在 -6 到 6 之间，label 为 0 或 1，"
        "例如 [(1.5, -2.0, 1)]，而不是 {value}",
    "1 (blue)": "1（蓝）",
    "0 (orange)": "0（橙）",
    "Add point": "添加数据点",
    "Clear my points": "清除我的数据点",
    "my points: {count}": "我的数据点：{count} 个",
    "Click to add a point of the chosen class (shift-click: class 0)":
        "单击添加所选类别的数据点（按住 Shift 单击：类别 0）",
    "Copy": "复制",
    "Copied": "已复制",
    "Select the code and copy it (Ctrl+C)": "请选中代码后复制（Ctrl+C）",
    "Python code that rebuilds this network in PyTorch": "在 PyTorch 中重建这个网络的 Python 代码",
    "The playground's network after {steps} steps; net(points) gives the logits (float64).":
        "交互实验中训练 {steps} 步后的网络；net(points) 给出 logit（float64）。",
    "Playground: {dataset}, 1 hidden layer of {units} units, {activation}, learning rate {lr:g}":
        "交互实验：{dataset}，1 个隐藏层，{units} 个单元，{activation}，学习率 {lr:g}",
    "Playground: {dataset}, {count} hidden layers of {units} units, {activation}, learning rate {lr:g}":
        "交互实验：{dataset}，{count} 个隐藏层，分别有 {units} 个单元，{activation}，学习率 {lr:g}",
    "Playground: {dataset}, 1 hidden layer of 1 unit, {activation}, learning rate {lr:g}":
        "交互实验：{dataset}，1 个隐藏层，1 个单元，{activation}，学习率 {lr:g}",
    "{a} and {b}": "{a}、{b}",
    "{a}, {b} and {c}": "{a}、{b}、{c}",
    "{name} must be True or False, not {value!r}": "{name} 必须是 True 或 False，而不是 {value!r}",
    "net[{index}] is {layer} with {count} parameters, one per unit; the playground learns one per layer: "
    "use nn.PReLU() (one α)":
        "net[{index}] 是 {layer}，有 {count} 个参数（每个单元一个）；交互实验每层只学习一个参数："
        "请用 nn.PReLU()（一个 α）",
    "net's weights must be finite numbers; net[{index}] holds nan or inf":
        "net 的权重必须是有限的数；net[{index}] 中有 nan 或 inf",
    "net[{index}] is {layer}, which the playground does not support; it supports {supported}":
        "net[{index}] 是 {layer}，交互实验不支持这种层；它支持的层有：{supported}",
    "net[{index}] is {layer} without a bias; the playground's layers have one: use bias=True":
        "net[{index}] 是没有偏置的 {layer}；交互实验的每一层都有偏置：请使用 bias=True",
    "net must be a torch.nn.Sequential such as nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)), "
    "not {type}":
        "net 必须是 torch.nn.Sequential，例如 nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))，"
        "而不是 {type}",
    "net must alternate Linear layers and activations and end with a Linear layer (the playground applies "
    "the sigmoid itself), not {layers}":
        "net 必须由 Linear 层和激活函数交替组成，并以 Linear 层结尾（交互实验自己会加上 sigmoid），"
        "而不是 {layers}",
    "net must take 2 inputs to 1 output through 1 to 3 hidden layers of 1 to 8 units, not {sizes}":
        "net 必须有 2 个输入和 1 个输出，中间有 1 到 3 个隐藏层、每层 1 到 8 个单元，而不是 {sizes}",
    "every hidden layer of net must use the same activation (the playground has one), not {names}":
        "net 的每个隐藏层必须使用同一个激活函数（交互实验只有一个），而不是 {names}",
    "No browser has shown this playground yet, so there are no weights to take: show it (put it last in a "
    "cell, or display(pg)), press Step or Train and Pause, then call to_torch() again":
        "还没有浏览器显示过这个交互实验，所以没有权重可取：请先显示它（放在单元格的最后一行，"
        "或用 display(pg)），按“单步”，或按“训练”后再按“暂停”，然后再次调用 to_torch()",
    "The browser's network has diverged (its weights are not finite numbers): press Reset, or choose a "
    "smaller learning rate, and train again":
        "浏览器中的网络已经发散（权重不再是有限的数）：请按“重置”或选择更小的学习率，然后重新训练",
    # questions
    "Check": "检查",
    "Right!": "答对了！",
    "Not quite.": "不太对。",
    "Choose an option first.": "请先选择一个选项。",
    "Enter a number first.": "请先输入一个数。",
    "Too low.": "太小了。",
    "Too high.": "太大了。",
    "Your answer": "你的答案",
    "Show a hint": "显示提示",
    "Hint:": "提示：",
    "Show the answer": "显示答案",
    "The answer:": "答案：",
    "(accepted: {low} to {high})": "（{low} 到 {high} 之间都算对）",
    "You answered this before.": "你以前答过这道题。",
    "{name} must be text (a str), not {type}": "{name} 必须是文本（str），而不是 {type}",
    "{name} must not be empty": "{name} 不能为空",
    "{name} must be a finite number such as 0.85, not {value!r}": "{name} 必须是有限的数（例如 0.85），而不是 {value!r}",
    "give at most {count} options": "最多给出 {count} 个选项",
    "options must be a dict such as {{'A': 'text', 'B': 'text'}} or a list of texts, not {type}":
        "options 必须是字典（例如 {{'A': '文本', 'B': '文本'}}）或文本列表，而不是 {type}",
    "a multiple-choice question needs at least 2 options, not {count}": "选择题至少需要 2 个选项，而不是 {count} 个",
    "the options must differ from each other": "各个选项必须互不相同",
    "{name} must be one of the options {keys}, not {value!r}": "{name} 必须是选项 {keys} 之一，而不是 {value!r}",
    "why must be a dict with one reason per wrong option, e.g. {{'B': 'because ...'}}":
        "why 必须是字典，为每个错误选项给出一条理由，例如 {{'B': '因为……'}}",
    "why needs a reason for every wrong option; missing: {keys}": "why 必须为每个错误选项给出理由；缺少：{keys}",
    "a numeric question needs either tolerance=... (with answer=...) or range=(low, high), not both":
        "数值题需要 tolerance=...（配合 answer=...）或 range=(low, high) 二者之一，不能同时给出或都不给",
    "range must be a pair (low, high), not {value!r}": "range 必须是一对数 (low, high)，而不是 {value!r}",
    "range must be (low, high) with low <= high, not {value!r}": "range 必须是 (low, high) 且 low <= high，而不是 {value!r}",
    "answer {answer:g} must lie in range ({low:g}, {high:g})": "answer {answer:g} 必须在 range ({low:g}, {high:g}) 之内",
    "tolerance must be 0 or more, not {value:g}": "tolerance 必须不小于 0，而不是 {value:g}",
    "for a numeric question, why may only hold the keys 'low' and 'high'": "数值题的 why 只能包含键 'low' 和 'high'",
    "Question: {prompt}": "问题：{prompt}",
    "(a number)": "（填一个数）",
    "a multiple-choice question takes no tolerance or range": "选择题不接受 tolerance 或 range",
    "give options=... for a multiple-choice question, or answer=... with tolerance=... (or range=(low, high)) "
    "for a numeric one":
        "选择题请给出 options=...；数值题请给出 answer=...，再加上 tolerance=...（或 range=(low, high)）",
    # exercises
    "a tensor of shape {shape}": "形状为 {shape} 的张量",
    "a bool ({value})": "布尔值（{value}）",
    "a whole number ({value})": "整数（{value}）",
    "a number ({value:g})": "数（{value:g}）",
    "a {type} of {count} items": "含 {count} 项的 {type}",
    "a {type}": "{type} 对象",
    "  line {line} of your code: {code}": "  出错的是你的代码第 {line} 行：{code}",
    "For {case}, {what} should be a whole number, but it is {got}.": "输入为 {case} 时，{what}应该是整数，但它是{got}。",
    "For {case}, {what} is wrong: expected {expected}, got {got}.": "输入为 {case} 时，{what}不对：应为 {expected}，实际为 {got}。",
    "For {case}, {what} should be a number, but it is {got}.": "输入为 {case} 时，{what}应该是一个数，但它是{got}。",
    "For {case}, {what} should be a tensor, but it is {got}.": "输入为 {case} 时，{what}应该是张量，但它是{got}。",
    "For {case}, {what} has the wrong shape: expected {expected}, got {got}.":
        "输入为 {case} 时，{what}的形状不对：应为 {expected}，实际为 {got}。",
    "For {case}, {what} should hold floating-point numbers, but its dtype is {dtype}: convert it, e.g. with "
    ".float().":
        "输入为 {case} 时，{what}应该是浮点数，但它的 dtype 是 {dtype}：请转换类型，例如用 .float()。",
    "For {case}, {what} is wrong at index {index}: expected {expected}, got {got}.":
        "输入为 {case} 时，{what}在索引 {index} 处不对：应为 {expected}，实际为 {got}。",
    "For {case}, the result should be a list or tuple of {count} items, but it is {got}.":
        "输入为 {case} 时，结果应该是含 {count} 项的列表或元组，但它是{got}。",
    "For {case}, the result should have {expected} items, but it has {got}.":
        "输入为 {case} 时，结果应该有 {expected} 项，但它有 {got} 项。",
    "{part} (item {index} of the result)": "{part}（结果的第 {index} 项）",
    "the result": "结果",
    "Not done yet: {name} raised NotImplementedError. Write your code in the function, run its cell, then run "
    "this check again.":
        "还没完成：{name} 抛出了 NotImplementedError。请在函数中写好代码，运行它所在的单元格，然后再运行一次这个检查。",
    "{name} raised {error} for {case}: {detail}": "输入为 {case} 时，{name} 抛出了 {error}：{detail}",
    "For {case}, the gradient does not flow: {arg} requires grad, but the result has requires_grad=False. Build "
    "the result from the input with torch operations (no .detach(), .item(), .numpy() or torch.tensor(...)).":
        "输入为 {case} 时，梯度传不回去：{arg} 需要梯度，但结果的 requires_grad=False。"
        "请用 torch 运算从输入算出结果（不要用 .detach()、.item()、.numpy() 或 torch.tensor(...)）。",
    "For {case}, the gradient does not flow to {arg}: the result does not depend on it through autograd.":
        "输入为 {case} 时，梯度传不到 {arg}：在自动微分看来，结果与它无关。",
    "Not done yet: {name} returned None. Write your code in the function (it must return its result), run its "
    "cell, then run this check again.":
        "还没完成：{name} 返回了 None。请在函数中写好代码（函数要返回结果），运行它所在的单元格，然后再运行一次这个检查。",
    "Your function changed its input {arg} in place (for {case}). Leave the input as it is and return a new "
    "result: avoid assigning into it (x[...] = ...) and in-place methods such as x.relu_() or x += 1.":
        "你的函数原地修改了输入 {arg}（输入为 {case} 时）。请保持输入不变，返回一个新的结果："
        "不要给它赋值（x[...] = ...），也不要用 x.relu_() 或 x += 1 这样的原地操作。",
    "The check could not use what {name} returned for {case}: {error}: {detail}":
        "输入为 {case} 时，检查无法使用 {name} 的返回值：{error}：{detail}",
    "Using what {name} returned for {case} raised {error}: {detail}":
        "输入为 {case} 时，使用 {name} 的返回值抛出了 {error}：{detail}",
    "Not done yet: pass your function, e.g. .check({name}), after running the cell that defines it.":
        "还没完成：请先运行定义函数的单元格，再把函数传给检查，例如 .check({name})。",
    "check() needs your function, e.g. .check({name}), not {got}.": "check() 需要你的函数，例如 .check({name})，而不是{got}。",
    "Correct! {name} passes all {count} tests.": "正确！{name} 通过了全部 {count} 项测试。",
    "Hint: {hint}": "提示：{hint}",
    "A solution:": "一种解法：",
    "Exercise {name} (chapter {chapter}): {task}": "练习 {name}（第 {chapter} 章）：{task}",
    "Write {signature}, run its cell, then check it with .check({fn}); .hint() and .solution() help.":
        "写出 {signature}，运行它所在的单元格，再用 .check({fn}) 检查；需要帮助时用 .hint() 和 .solution()。",
    "There is no exercise named {name!r}; the exercises are: {names}": "没有名为 {name!r} 的练习；现有的练习：{names}",
    "x = a 3×4 tensor of random numbers": "x = 一个 3×4 的随机张量",
    "x = a 3×4 tensor with requires_grad=True, alpha=0.1": "x = 一个 requires_grad=True 的 3×4 张量，alpha=0.1",
    "the same shapes with requires_grad=True": "形状同上，且 requires_grad=True",
    "y_hat = softmax of a random 4×5 tensor, y = tensor([4, 0, 2, 2])":
        "y_hat = 一个 4×5 随机张量的 softmax，y = tensor([4, 0, 2, 2])",
    "batches of 4, 4 and 2 examples, 6 of 10 right": "小批量大小为 4、4、2，10 个样本中 6 个分类正确",
    "batches of 5, 5 and 1 examples, 9 of 11 right": "小批量大小为 5、5、1，11 个样本中 9 个分类正确",
    "a 4-layer sigmoid MLP after backward()": "调用 backward() 之后的 4 层 sigmoid 多层感知机",
    "a 2-layer ReLU MLP after backward()": "调用 backward() 之后的 2 层 ReLU 多层感知机",
    "Two linear layers with no activation between them, H = X @ W1 + b1 and O = H @ W2 + b2, are one linear "
    "layer O = X @ W + b. Return that W and b.":
        "两个线性层之间没有激活函数时，H = X @ W1 + b1 和 O = H @ W2 + b2 合起来就是一个线性层 O = X @ W + b。"
        "请返回这个 W 和 b。",
    "Substitute H into O and multiply out: (X @ W1 + b1) @ W2 + b2. Which term multiplies X, and what is left "
    "over?":
        "把 H 代入 O 并展开：(X @ W1 + b1) @ W2 + b2。哪一项乘以 X？剩下的是什么？",
    "For {case}, W is right but b misses b1's share: b1 passes through W2 as well, so b = b1 @ W2 + b2.":
        "输入为 {case} 时，W 对了，但 b 漏掉了 b1 的贡献：b1 也要经过 W2，所以 b = b1 @ W2 + b2。",
    "For {case}, W is right but b misses b2: the second layer adds its own bias after multiplying by W2.":
        "输入为 {case} 时，W 对了，但 b 漏掉了 b2：第二层在乘以 W2 之后还要加上自己的偏置。",
    "An MLP has layer widths sizes = [inputs, hidden..., outputs], e.g. [784, 256, 10]. Return how many "
    "parameters (weights and biases) it has.":
        "一个多层感知机各层的宽度为 sizes = [输入宽度，各隐藏层宽度，输出宽度]，例如 [784, 256, 10]。"
        "请返回它有多少个参数（权重和偏置）。",
    "Each layer from n_in to n_out units has an n_in × n_out weight matrix and n_out biases. Add this up over "
    "consecutive pairs of sizes.":
        "从 n_in 个单元到 n_out 个单元的每一层有一个 n_in × n_out 的权重矩阵和 n_out 个偏置。"
        "对 sizes 中每一对相邻的宽度求和。",
    "For {case}, you counted the weights but not the biases: each layer also has one bias per output unit.":
        "输入为 {case} 时，你只数了权重，没有数偏置：每一层的每个输出单元还有一个偏置。",
    "For {case}, you gave the inputs biases too: only the layers that compute (the hidden and the output "
    "layers) have biases.":
        "输入为 {case} 时，你给输入也算了偏置：只有做计算的层（隐藏层和输出层）才有偏置。",
    "Return ReLU's derivative at every element of x, as a float tensor shaped like x: 1 where x > 0, 0 "
    "elsewhere (at 0 too, as PyTorch's autograd takes it). Do not change x.":
        "返回 ReLU 在 x 每个元素处的导数，结果是与 x 形状相同的浮点张量：x > 0 处为 1，其余为 0"
        "（在 0 处也为 0，与 PyTorch 的自动微分一致）。不要修改 x。",
    "A comparison such as x > 0 gives a tensor of True/False; turn it into 1.0/0.0 with .float().":
        "比较运算（例如 x > 0）得到由 True/False 组成的张量；用 .float() 把它变成 1.0/0.0。",
    "For {case}, that is ReLU itself, not its derivative: the derivative is 1 where x > 0 and 0 elsewhere.":
        "输入为 {case} 时，你返回的是 ReLU 本身，而不是它的导数：导数在 x > 0 处为 1，其余为 0。",
    "For {case}, at x = 0 your derivative is 1; the book (and PyTorch's autograd) takes ReLU's derivative at 0 "
    "to be 0: use x > 0, not x >= 0.":
        "输入为 {case} 时，你的导数在 x = 0 处为 1；本书（和 PyTorch 的自动微分）取 ReLU 在 0 处的导数为 0："
        "请用 x > 0，而不是 x >= 0。",
    "Return the sigmoid's derivative at every element of x, without changing x.":
        "返回 sigmoid 函数在 x 每个元素处的导数，不要修改 x。",
    "Write s = torch.sigmoid(x); the derivative is s times (1 - s). At x = 0 it is 0.25.":
        "记 s = torch.sigmoid(x)，导数是 s 乘以 (1 - s)。在 x = 0 处导数为 0.25。",
    "For {case}, that is the sigmoid itself, not its derivative: the derivative is sigmoid(x) * (1 - "
    "sigmoid(x)).":
        "输入为 {case} 时，你返回的是 sigmoid 函数本身，而不是它的导数：导数是 sigmoid(x) * (1 - sigmoid(x))。",
    "For {case}, you used 1 + sigmoid(x) where the derivative has 1 - sigmoid(x).":
        "输入为 {case} 时，你用了 1 + sigmoid(x)，而导数中应是 1 - sigmoid(x)。",
    "Return pReLU(x) = max(0, x) + alpha * min(0, x) elementwise, built with torch operations so that autograd "
    "can differentiate it, without changing x.":
        "按元素返回 pReLU(x) = max(0, x) + alpha * min(0, x)，用 torch 运算构造，使自动微分能对它求导，不要修改 x。",
    "torch.where(x > 0, x, alpha * x) picks x where it is positive and alpha * x elsewhere, and keeps the "
    "gradient.":
        "torch.where(x > 0, x, alpha * x) 在 x 为正处取 x，其余处取 alpha * x，并且保留梯度。",
    "For {case}, you returned ReLU: negative inputs must be multiplied by alpha, not set to 0.":
        "输入为 {case} 时，你返回的是 ReLU：负的输入应乘以 alpha，而不是置为 0。",
    "For {case}, positive inputs were multiplied by alpha too: pReLU leaves x > 0 unchanged.":
        "输入为 {case} 时，正的输入也乘了 alpha：pReLU 在 x > 0 处保持输入不变。",
    "Return the MLP's outputs (logits) for a minibatch X of images: flatten each image into a row, apply the "
    "hidden layer (W1, b1) with ReLU, then the output layer (W2, b2).":
        "对一个小批量的图像 X 返回多层感知机的输出（softmax 之前的值）：把每幅图像展平成一行，"
        "经过带 ReLU 的隐藏层（W1, b1），再经过输出层（W2, b2）。",
    "X.reshape(-1, W1.shape[0]) turns the images into rows; then H = relu(X @ W1 + b1) and the output is H @ "
    "W2 + b2.":
        "X.reshape(-1, W1.shape[0]) 把图像变成行；然后 H = relu(X @ W1 + b1)，输出是 H @ W2 + b2。",
    "For {case}, you left out the activation: without ReLU the two layers collapse into one linear layer.":
        "输入为 {case} 时，你漏掉了激活函数：没有 ReLU，两层就退化成一个线性层。",
    "For {case}, you applied ReLU to the output layer too: the logits are H @ W2 + b2, with no activation.":
        "输入为 {case} 时，你对输出层也用了 ReLU：输出是 H @ W2 + b2，不加激活函数。",
    "init_params must return a list of four tensors [W1, b1, W2, b2], not {got}.":
        "init_params 必须返回由四个张量组成的列表 [W1, b1, W2, b2]，而不是{got}。",
    "the shape of {part}": "{part} 的形状",
    "whether {part} is a leaf tensor that requires grad (so that backward() fills its .grad)":
        "{part} 是否为需要梯度的叶子张量（这样 backward() 才会算出它的梯度）",
    "whether {part} is all zeros": "{part} 是否全为零",
    "the standard deviation of {part}, rounded to 2 decimals": "{part} 的标准差（保留 2 位小数）",
    "Create the parameters of a one-hidden-layer MLP: weights W1 (num_inputs × num_hiddens) and W2 (num_hiddens "
    "× num_outputs) drawn from a normal distribution with standard deviation 0.01, biases b1 and b2 all zeros, "
    "every one a leaf tensor that requires grad. Return [W1, b1, W2, b2].":
        "创建单隐藏层多层感知机的参数：权重 W1（num_inputs × num_hiddens）和 W2（num_hiddens × num_outputs）"
        "取自标准差为 0.01 的正态分布，偏置 b1 和 b2 全为零，每一个都是需要梯度的叶子张量。返回 [W1, b1, W2, b2]。",
    "torch.randn(rows, cols) * 0.01 has standard deviation 0.01; call .requires_grad_() on the result (not "
    "requires_grad=True inside randn, which makes the product a non-leaf).":
        "torch.randn(rows, cols) * 0.01 的标准差是 0.01；对乘积调用 .requires_grad_()"
        "（不要在 randn 里写 requires_grad=True，那样乘积就不是叶子张量了）。",
    "Given predicted probabilities y_hat (one row per example) and the true classes y, return the cross-entropy "
    "loss of each example: −log of the probability given to its true class.":
        "给定预测概率 y_hat（每个样本一行）和真实类别 y，返回每个样本的交叉熵损失：真实类别的预测概率的 −log。",
    "y_hat[range(len(y_hat)), y] picks, in each row, the probability of that row's true class.":
        "y_hat[range(len(y_hat)), y] 在每一行中取出该行真实类别的概率。",
    "For {case}, you averaged the losses: return one loss per example (the training loop sums or averages "
    "them).":
        "输入为 {case} 时，你对损失求了平均：请为每个样本返回一个损失（训练循环会再求和或求平均）。",
    "For {case}, the sign is wrong: the loss is −log(probability), positive, and smaller for better "
    "predictions.":
        "输入为 {case} 时，符号反了：损失是概率的 −log，为正数，预测越好损失越小。",
    "build_mlp must return an nn.Module such as nn.Sequential(...), not {got}.":
        "build_mlp 必须返回一个 nn.Module，例如 nn.Sequential(...)，而不是{got}。",
    "the number of nn.Linear layers": "nn.Linear 层的个数",
    "Your network fails on X of shape {shape}: {error}: {detail}": "你的网络在形状为 {shape} 的 X 上出错：{error}：{detail}",
    "the output shape for X of shape {part}": "输入 X 的形状为 {part} 时的输出形状",
    "the number of parameters": "参数的个数",
    "Return an nn.Sequential MLP for images: flatten, a hidden nn.Linear layer with num_hiddens units, ReLU, "
    "and an output nn.Linear layer with num_outputs units.":
        "返回一个处理图像的 nn.Sequential 多层感知机：展平层，有 num_hiddens 个单元的隐藏 nn.Linear 层，ReLU，"
        "以及有 num_outputs 个单元的输出 nn.Linear 层。",
    "For {case}, there is no activation between the linear layers, so the network collapses into one linear "
    "layer: put nn.ReLU() between them.":
        "输入为 {case} 时，线性层之间没有激活函数，网络退化成一个线性层：请在它们之间加上 nn.ReLU()。",
    "For {case}, the activation between the layers should be ReLU (nn.ReLU()).":
        "输入为 {case} 时，层与层之间的激活函数应该是 ReLU（nn.ReLU()）。",
    "List the layers in order inside nn.Sequential: nn.Flatten(), nn.Linear(num_inputs, num_hiddens), "
    "nn.ReLU(), nn.Linear(num_hiddens, num_outputs).":
        "在 nn.Sequential 中按顺序列出各层：nn.Flatten()、nn.Linear(num_inputs, num_hiddens)、"
        "nn.ReLU()、nn.Linear(num_hiddens, num_outputs)。",
    "Return how many learnable numbers (all the weights and biases) the module net holds.":
        "返回模块 net 中可学习的数的个数（所有权重和偏置）。",
    "net.parameters() yields every weight and bias tensor; p.numel() is the number of values in one.":
        "net.parameters() 逐个给出每个权重张量和偏置张量；p.numel() 是一个张量中数的个数。",
    "For {case}, you counted the parameter tensors, not the numbers in them: add up p.numel() over "
    "net.parameters().":
        "输入为 {case} 时，你数的是参数张量的个数，而不是其中数的个数：请对 net.parameters() 中的 p.numel() 求和。",
    "For {case}, you counted the weights but not the biases.": "输入为 {case} 时，你只数了权重，没有数偏置。",
    "Return the fraction of examples that net classifies correctly over all the minibatches (X, y) of "
    "data_iter: the predicted class is the index of the largest output.":
        "返回 net 在 data_iter 的全部小批量 (X, y) 上分类正确的样本所占的比例：预测类别是最大输出的索引。",
    "Count correct predictions and examples over all batches (net(X).argmax(dim=1) == y), then divide once at "
    "the end.":
        "在所有小批量上累计预测正确的个数和样本数（net(X).argmax(dim=1) == y），最后再做一次除法。",
    "For {case}, you returned the number of correct predictions, not the fraction: divide by the number of "
    "examples.":
        "输入为 {case} 时，你返回的是预测正确的个数，而不是比例：请除以样本数。",
    "For {case}, you averaged the accuracies of the batches, but the last batch is smaller: count correct "
    "predictions and examples over all batches, then divide.":
        "输入为 {case} 时，你对各个小批量的准确率求了平均，但最后一个小批量较小："
        "请在所有小批量上累计正确个数和样本数，然后再相除。",
    "After loss.backward(), return the L2 norm of the gradient of each nn.Linear layer's weight in net, in "
    "order from the input to the output, as a list of numbers.":
        "调用 loss.backward() 之后，按从输入到输出的顺序，以数的列表返回 net 中每个 nn.Linear 层权重梯度的 L2 范数。",
    "for m in net.modules(): if isinstance(m, nn.Linear), m.weight.grad.norm() is that layer's gradient norm "
    "(.item() makes it a number).":
        "遍历 net.modules()：若 isinstance(m, nn.Linear)，则 m.weight.grad.norm() 就是该层的梯度范数"
        "（.item() 把它变成一个数）。",
    "For {case}, those are the norms of the weights, not of their gradients: use m.weight.grad.":
        "输入为 {case} 时，这些是权重的范数，而不是梯度的范数：请用 m.weight.grad。",
    "For {case}, those are the squared norms: take the square root (or use .norm()).":
        "输入为 {case} 时，这些是范数的平方：请开平方根（或用 .norm()）。",
    "For {case}, you included the biases: give one norm per nn.Linear weight.":
        "输入为 {case} 时，你把偏置也算进去了：每个 nn.Linear 层的权重给出一个范数即可。",
}
