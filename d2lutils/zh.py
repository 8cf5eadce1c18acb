"""The Chinese catalog: every user-facing string of d2lutils, keyed by its English text.

The gettext convention: code writes the English text, ``_("...")`` (or ``N_`` where the text is
translated later) in ``language.py`` looks it up here; a text missing here is shown in English.
``tests/test_language.py`` checks that every text the code passes to ``_``/``N_`` is here, with the
same ``{placeholders}``, and that nothing here is unused.
"""

ZH: dict[str, str] = {
    ': ':
        '：',
    ', ':
        '，',
    'epoch':
        '迭代周期',
    'train loss':
        '训练损失',
    'train acc':
        '训练准确率',
    'test acc':
        '测试准确率',
    'valid acc':
        '验证准确率',
    'test loss':
        '测试损失',
    'loss':
        '损失',
    'accuracy':
        '准确率',
    'true':
        '真实',
    'pred':
        '预测',
    'derivative':
        '导数',
    'gradient':
        '梯度',
    'learning rate':
        '学习率',
    'hidden units':
        '隐藏单元',
    'input layer':
        '输入层',
    'hidden layer':
        '隐藏层',
    'output layer':
        '输出层',
    'inputs':
        '输入',
    'outputs':
        '输出',
    'weights':
        '权重',
    'bias':
        '偏置',
    'language must be one of {choices}, not {lang!r}':
        '语言必须是 {choices} 之一，而不是 {lang!r}',
    "No Chinese (CJK) font was found, so Chinese text in figures will show as empty boxes. Install one and run set_language('zh') again: on Debian/Ubuntu `sudo apt-get install fonts-noto-cjk`; on Colab run `!apt-get -qq install -y fonts-noto-cjk` in a cell, then re-run the cell that calls set_language('zh').":
        "没有找到中文（CJK）字体，图中的中文会显示成空白方框。请先安装一种中文字体，再运行一次 set_language('zh')：Debian/Ubuntu 上运行 `sudo apt-get install fonts-noto-cjk`；Colab 上在一个单元格中运行 `!apt-get -qq install -y fonts-noto-cjk`，然后重新运行调用 set_language('zh') 的单元格。",
    't-shirt':
        'T恤',
    'trouser':
        '裤子',
    'pullover':
        '套衫',
    'dress':
        '连衣裙',
    'coat':
        '外套',
    'sandal':
        '凉鞋',
    'shirt':
        '衬衫',
    'sneaker':
        '运动鞋',
    'bag':
        '包',
    'ankle boot':
        '短靴',
    'Fashion-MNIST from {folder} ({kind})':
        'Fashion-MNIST，来自 {folder}（{kind}）',
    'the root argument':
        '参数 root',
    'the environment variable {env_var}':
        '环境变量 {env_var}',
    'the default folder':
        '默认文件夹',
    "Debian's package {package}":
        'Debian 软件包 {package}',
    'downloaded':
        '下载所得',
    'Fashion-MNIST was not found and could not be downloaded ({reason}).\nLooked for the four files ({names}, each uncompressed or .gz) in these folders and in their FashionMNIST/raw/ subfolders:\n{looked}\nGet the data in one of these ways:\n  1. Debian/Ubuntu: sudo apt-get install {package}\n  2. Put the four files in a folder and set the environment variable {env_var} to it, or pass root=<that folder>.\n  3. Run this once on a machine with internet: the files are downloaded to {target}.':
        '没有找到 Fashion-MNIST，也无法下载（{reason}）。\n已在以下文件夹及其 FashionMNIST/raw/ 子文件夹中查找这四个文件（{names}，未压缩或 .gz 均可）：\n{looked}\n可以用以下任一方式获取数据：\n  1. Debian/Ubuntu：sudo apt-get install {package}\n  2. 把这四个文件放进一个文件夹，再把环境变量 {env_var} 设为这个文件夹，或者传入 root=<该文件夹>。\n  3. 在能联网的机器上运行一次：文件会下载到 {target}。',
    '  - {folder} ({kind})':
        '  - {folder}（{kind}）',
    'downloading was not allowed':
        '不允许下载',
    'cannot create {target}: {error}':
        '无法创建 {target}：{error}',
    'the download failed: {error}':
        '下载失败：{error}',
    'the downloaded {name} {problem}; it was not saved':
        '下载的 {name} {problem}，所以没有保存',
    "torchvision's FashionMNIST does not list {name}":
        'torchvision 的 FashionMNIST 文件列表中没有 {name}',
    'Downloading Fashion-MNIST to {target} (with torchvision)':
        '正在下载 Fashion-MNIST 到 {target}（通过 torchvision）',
    'Reinstall the package: sudo apt-get install --reinstall {package}':
        '请重新安装这个软件包：sudo apt-get install --reinstall {package}',
    'Delete it and run again: the next call uses another source or re-downloads it, or put the original file in its place.':
        '请删除这个文件后重新运行：下次调用会改用其他来源或重新下载；也可以把原始文件放回原处。',
    'Fashion-MNIST file {path} {problem}. {fix}':
        'Fashion-MNIST 文件 {path} {problem}。{fix}',
    'Fashion-MNIST file {path} is not a complete gzip file ({error}). {fix}':
        'Fashion-MNIST 文件 {path} 不是完整的 gzip 文件（{error}）。{fix}',
    'is truncated: {size} bytes, expected {expected}':
        '不完整：只有 {size} 字节，应为 {expected} 字节',
    'is too long: {size} bytes, expected {expected}':
        '过长：有 {size} 字节，应为 {expected} 字节',
    'is not an idx file of images (magic number {magic}, expected {expected})':
        '不是存放图像的 idx 文件（魔数为 {magic}，应为 {expected}）',
    'is not an idx file of labels (magic number {magic}, expected {expected})':
        '不是存放标签的 idx 文件（魔数为 {magic}，应为 {expected}）',
    'holds {count} items, expected {expected}':
        '含有 {count} 项，应为 {expected} 项',
    'holds {height}x{width} images, expected 28x28':
        '中的图像是 {height}×{width}，应为 28×28',
    'holds the label {label}; labels are 0 to 9':
        '含有标签 {label}，而标签只能是 0 到 9',
    'differs from the original (SHA-256 {digest}, expected {expected})':
        '与原始文件不同（SHA-256 为 {digest}，应为 {expected}）',
    'images must be a uint8 tensor [N, C, H, W], not {dtype} {shape}':
        'images 必须是形状为 [N, C, H, W] 的 uint8 张量，而不是 {dtype} {shape}',
    'labels must be a 1-D tensor with one label per image ({count}), not of shape {shape}':
        'labels 必须是一维张量，每张图像一个标签（共 {count} 个），而不是形状为 {shape} 的张量',
    'resize must be None, a positive int or a pair (height, width) of positive ints, not {resize!r}':
        'resize 必须是 None、正整数或由两个正整数组成的 (height, width)，而不是 {resize!r}',
    'Fashion-MNIST labels are integers 0 to 9, not {value!r}':
        'Fashion-MNIST 的标签是 0 到 9 的整数，而不是 {value!r}',
    'split_validation needs a d2l.TensorLoader (what load_data_fashion_mnist returns), not a {type}':
        'split_validation 需要 d2l.TensorLoader（即 load_data_fashion_mnist 返回的数据迭代器），而不是 {type}',
    'num_valid={num_valid} leaves no training examples: the loader holds {n}; choose num_valid below {n}':
        'num_valid={num_valid} 会让训练集一个样本都不剩：这个数据迭代器只有 {n} 个样本，请让 num_valid 小于 {n}',
    'Accumulator holds {n} sums, add() got {got} values':
        'Accumulator 保存 {n} 个累加和，add() 却收到了 {got} 个值',
    'evaluate_accuracy got no examples: the data iterator is empty':
        'evaluate_accuracy 没有拿到任何样本：数据迭代器是空的',
    'train_epoch_ch3 got no examples: the training iterator is empty':
        'train_epoch_ch3 没有拿到任何样本：训练数据迭代器是空的',
    'train_ch3 got an empty test iterator':
        'train_ch3 的测试数据迭代器是空的',
    "train_epoch_ch3 needs one loss per example: build the loss with reduction='none', e.g. nn.CrossEntropyLoss(reduction='none')":
        "train_epoch_ch3 需要每个样本各自的损失：请用 reduction='none' 构造损失函数，例如 nn.CrossEntropyLoss(reduction='none')",
    "train_ch3 was asked to train on {device}, but the updater's parameters are on {params}, and a net written as a function cannot be moved: create its parameters on {device}, or pass device={params!r}":
        'train_ch3 要在 {device} 上训练，但更新器的参数在 {params} 上，而写成函数的网络无法移动：请在 {device} 上创建参数，或者传入 device={params!r}',
    'Training diverged in epoch {epoch} of {num_epochs}: the training loss {what}. The usual cause is a learning rate that is too large: each update overshoots, so the loss grows instead of shrinking (until it overflows to inf or nan). Re-initialise the parameters and train again with a smaller learning rate (try 10 times smaller).':
        '训练在第 {epoch} 个迭代周期（共 {num_epochs} 个）发散了：训练损失{what}。最常见的原因是学习率太大：每次更新都迈得太远，损失不降反升（直到溢出成 inf 或 nan）。请重新初始化参数，再用更小的学习率训练（试试原来的十分之一）。',
    'became {loss} (not a finite number)':
        '变成了 {loss}（不是有限的数）',
    'exploded to {loss:.3g} (before training it was {initial:.3g})':
        '暴涨到 {loss:.3g}（训练前是 {initial:.3g}）',
    'History: no epoch trained':
        'History：还没有训练任何迭代周期',
    ' ({seconds:.1f} s)':
        '（{seconds:.1f} 秒）',
    'x must be a torch.Tensor, e.g. torch.arange(-8.0, 8.0, 0.1), not {type}':
        'x 必须是 torch.Tensor，例如 torch.arange(-8.0, 8.0, 0.1)，而不是 {type}',
    'x must hold floating-point numbers (it holds {dtype}); use x.float()':
        'x 必须是浮点数张量（现在是 {dtype}），请先用 x.float() 转换',
    'plot got {xs} x series for {ys} y series; pass one X or one per Y':
        'plot 收到 {xs} 组 x 数据、{ys} 组 y 数据；请只传一组 X，或者为每组 Y 各传一组 X',
    'plot got an x series of length {x} for a y series of length {y}':
        'plot 收到的 x 数据长度为 {x}，而对应的 y 数据长度为 {y}，两者必须相同',
    'num_rows and num_cols must be at least 1, got {rows} and {cols}':
        'num_rows 和 num_cols 都必须至少为 1，现在是 {rows} 和 {cols}',
    'show_images got {titles} titles for {images} images':
        'show_images 收到 {titles} 个标题，却有 {images} 张图像',
    'Animator.add expects {expected} y values (and one x or one per y), got {xs} x and {ys} y':
        'Animator.add 需要 {expected} 个 y 值（以及一个 x，或每个 y 各一个 x），现在收到 {xs} 个 x 和 {ys} 个 y',
    'sizes must list at least two layer widths, each an integer of at least 1, e.g. [4, 5, 3]; got {sizes!r}':
        'sizes 必须列出至少两层的宽度，每个都是不小于 1 的整数，例如 [4, 5, 3]；现在是 {sizes!r}',
    'names must give one name per layer ({layers}), got {names}':
        'names 必须为每一层各给一个名字（共 {layers} 层），现在给了 {names} 个',
    'show_classes needs points of shape (n, 2) and n labels of 0 or 1; got points of shape {shape} and {labels} labels':
        'show_classes 需要形状为 (n, 2) 的点和 n 个取 0 或 1 的标签；现在点的形状是 {shape}，标签有 {labels} 个',
    '{name}\n({size})':
        '{name}\n（{size}）',
    'The sliders need the anywidget package (Colab has it): run `%pip install anywidget`, then restart the kernel':
        '滑块需要 anywidget 包（Colab 已自带）：请运行 `%pip install anywidget`，然后重启内核',
    'frames must be a non-empty list of images (PNG or SVG files as bytes)':
        'frames 必须是非空的图像列表（以 bytes 表示的 PNG 或 SVG 文件）',
    'frames[{position}] must be a PNG or SVG image as bytes, not {type}':
        'frames[{position}] 必须是以 bytes 表示的 PNG 或 SVG 图像，而不是 {type}',
    '{what} must be a list of strings, one per frame (description: one string)':
        '{what} 必须是字符串列表，每帧一个（description 为一个字符串）',
    'give one label and one alt text per frame: {frames} frames, {labels} labels, {alts} alt texts':
        '每帧需要一个标签和一段替代文本：现有 {frames} 帧、{labels} 个标签、{alts} 段替代文本',
    'index must be a whole number from 0 to {last}, not {value!r}':
        'index 必须是 0 到 {last} 之间的整数，而不是 {value!r}',
    'values must be a list of numbers such as [0.0, 0.25, 0.5], not {type}':
        'values 必须是数的列表（例如 [0.0, 0.25, 0.5]），而不是 {type}',
    'values is empty: give the parameter values the slider steps through, e.g. [0.0, 0.25, 0.5]':
        'values 为空：请给出滑块依次取的参数值，例如 [0.0, 0.25, 0.5]',
    'values must differ as the slider shows them (6 significant digits): {labels}':
        'values 中的值按滑块的显示方式（6 位有效数字）必须互不相同：{labels}',
    'fn must be a function fn(x, value) -> tensor, not {type}':
        'fn 必须是形如 fn(x, value) -> 张量 的函数，而不是 {type}',
    "name and param must be non-empty strings, e.g. name='pReLU', param='α'":
        "name 和 param 必须是非空字符串，例如 name='pReLU'、param='α'",
    'x must be a 1-D floating-point tensor of at least 2 points, e.g. torch.arange(-8.0, 8.0, 0.1)':
        'x 必须是至少含 2 个点的一维浮点张量，例如 torch.arange(-8.0, 8.0, 0.1)',
    'x must hold finite numbers only':
        'x 中只能有有限的数',
    'fn(x, {value}) raised {error}: {detail}':
        'fn(x, {value}) 抛出了 {error}：{detail}',
    'fn(x, {value}) must return a tensor shaped like x {shape}, got {got}':
        'fn(x, {value}) 必须返回与 x 形状相同 {shape} 的张量，实际得到 {got}',
    'fn(x, {value}) is not differentiable by autograd: build it from x with torch operations (no .detach(), .item() or numpy)':
        'fn(x, {value}) 无法由自动微分求导：请用 torch 运算由 x 构造结果（不要用 .detach()、.item() 或 numpy）',
    'autograd could not differentiate fn(x, {value}): {detail}':
        '自动微分无法对 fn(x, {value}) 求导：{detail}',
    'fn returned no finite values to plot':
        'fn 没有返回可以绘制的有限值',
    '{name}(x) and its derivative, {label}':
        '{name}(x) 及其导数，{label}',
    '{name} must be one of {allowed}, not {value!r}':
        '{name} 必须是 {allowed} 之一，而不是 {value!r}',
    '{name} must be between {low:g} and {high:g}, not {value:g}':
        '{name} 必须在 {low:g} 到 {high:g} 之间，而不是 {value:g}',
    '{name} must be a whole number from {low} to {high}, not {value!r}':
        '{name} 必须是 {low} 到 {high} 之间的整数，而不是 {value!r}',
    'hiddens must be 1 to 3 hidden layers of 1 to 8 units each, such as (4,) or (8, 8), not {value!r}':
        'hiddens 必须是 1 到 3 个隐藏层、每层 1 到 8 个单元，例如 (4,) 或 (8, 8)，而不是 {value!r}',
    'the playground needs the anywidget package: run `%pip install anywidget` in a cell, restart the kernel, and run this cell again':
        '交互实验需要 anywidget 包：请在单元格中运行 `%pip install anywidget`，重启内核后再运行这个单元格',
    'Playground: {dataset}, hidden layers {hiddens}, {activation}, learning rate {lr:g}':
        '交互实验：{dataset}，隐藏层 {hiddens}，{activation}，学习率 {lr:g}',
    'Train':
        '训练',
    'Pause':
        '暂停',
    'Step':
        '单步',
    'Reset':
        '重置',
    'data':
        '数据集',
    'noise':
        '噪声',
    'training share':
        '训练集占比',
    'hidden layers':
        '隐藏层数',
    'units in layer {layer}':
        '第 {layer} 层单元数',
    'activation':
        '激活函数',
    'batch size':
        '批量大小',
    'test accuracy':
        '测试准确率',
    'steps':
        '训练步数',
    "The network: each square is a unit drawn over the plane; line width and colour show each weight's size and sign":
        '网络：每个方块是一个单元在整个平面上的输出，连线的粗细和颜色表示权重的大小和正负',
    'Decision boundary and data points':
        '决策边界和数据点',
    'Train and test loss during training':
        '训练过程中的训练损失和测试损失',
    'Blue: class 1 and positive weights; orange: class 0 and negative weights. White-edged points: training data; black-edged: test data. Curves: train loss (dark) and test loss (grey).':
        '蓝色表示类别 1 和正权重，橙色表示类别 0 和负权重。白边的点是训练数据，黑边的点是测试数据。曲线中深色为训练损失，灰色为测试损失。',
    'XOR':
        '异或',
    'circles':
        '圆环',
    'two spirals':
        '双螺旋',
    'Gaussian blobs':
        '高斯团',
    '{name} must be a real number such as 0.25, not {value!r} (a {type})':
        '{name} 必须是实数（例如 0.25），而不是 {value!r}（类型为 {type}）',
    '{name} must be a finite number, not {value}':
        '{name} 必须是有限的数，而不是 {value}',
    '{name} must be an integer of at least {minimum}, not {value!r}':
        '{name} 必须是不小于 {minimum} 的整数，而不是 {value!r}',
}
