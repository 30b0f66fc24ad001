"""A deterministic generator of realistic model/training code for the benchmarks.

``generate(n_files, managed_share, seed)`` returns a :class:`Corpus`: ``n_files`` Python
files of about 12 KB each (imports, classes, functions, loops, comments, docstrings).
A share ``managed_share`` of them use the hyper-parameter manager, with about
:data:`CALLS_PER_FILE` calls ``_("name", ...)`` each: names shared across files (a few
very popular ones, many section names such as ``model.hidden_channels``, some local to
one file), hints, multi-line calls, a few non-literal defaults and some manager API calls
(``_.get_value("lr")``). The others are plain code that must not be parsed at all: they
never call ``_`` (nor ``_.anything``) but do use ``_`` as a throwaway variable, so a
textual pre-check is exercised honestly.

Both hpman 0.13 and hpman-cst must accept the corpus, so every name has exactly one
default across all files (hpman raises ``DoubleAssignmentException`` on a second one,
even an equal one); every other occurrence is a plain get ``_("name")``. No name is both
a leaf and a branch. Names never contain gettext-like text.

One name, :data:`RENAME_NAME`, appears in exactly ``RENAME_SHARE`` of the files (counted
over all files, chosen among the managed ones), for the rename benchmark.

Stdlib only; run as a script to write a corpus: ``python corpus.py DIR -n 100 -p 0.5``.
"""

from __future__ import annotations

import argparse
import ast
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

__all__ = [
    "CALLS_PER_FILE",
    "FILE_BYTES",
    "RENAME_NAME",
    "RENAME_NEW_NAME",
    "RENAME_SHARE",
    "Corpus",
    "generate",
    "many_sites",
]

#: Mean number of ``_(...)`` calls in a managed file (it varies from 17 to 23).
CALLS_PER_FILE = 20
#: Mean size of a file, in bytes (it varies from about 11 to 13.5 KB).
FILE_BYTES = 12_000
#: The name used in :data:`RENAME_SHARE` of the files, and the name it is renamed to.
RENAME_NAME = "sched.warmup_steps"
RENAME_NEW_NAME = "sched.warmup_iters"
RENAME_SHARE = 0.05
#: Files per sub-package folder.
FILES_PER_DIR = 50

# --------------------------------------------------------------------------- vocabulary

# Candidate defaults, as source text, per kind. ``expr`` defaults are not literals.
_DEFAULTS: dict[str, tuple[str, ...]] = {
    "int": ("8", "16", "32", "64", "128", "256", "512", "1024", "3", "5", "10", "100", "1_000"),
    "float": ("1e-3", "3e-4", "0.1", "0.9", "5e-4", "0.5", "1.0", "0.999", "1e-5", "0.25"),
    "str": ('"relu"', '"gelu"', '"adamw"', '"sgd"', '"cosine"', "'reflect'", '"bf16"'),
    "bool": ("True", "False"),
    "list": ("[30, 60, 90]", "(0.9, 0.999)", "[0.485, 0.456, 0.406]", "[1, 2, 4, 8]", "(3, 3)"),
    "dict": ('{"type": "cosine", "t_max": 100}', '{"mode": "fan_out", "gain": 2.0}'),
    "none": ("None",),
    "expr": ("nn.GELU", "2 ** 10", "math.pi / 4", "torch.float16", "os.cpu_count() or 1"),
}

_STR_CHOICES = ("relu", "gelu", "silu", "adamw", "sgd", "cosine", "linear", "bf16", "fp32")

# Global names: (name, kind). The first few are the popular ones.
_POPULAR: tuple[tuple[str, str], ...] = (
    ("lr", "float"),
    ("batch_size", "int"),
    ("num_epochs", "int"),
    ("weight_decay", "float"),
    ("dropout", "float"),
    ("seed", "int"),
    ("num_workers", "int"),
)
_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "model": (
        ("hidden_channels", "int"),
        ("num_layers", "int"),
        ("num_heads", "int"),
        ("embed_dim", "int"),
        ("ffn_dim", "int"),
        ("kernel_size", "int"),
        ("activation", "str"),
        ("norm", "str"),
        ("use_bn", "bool"),
        ("bias", "bool"),
        ("pre_norm", "bool"),
        ("depth", "int"),
        ("drop_path", "float"),
        ("attn_dropout", "float"),
        ("strides", "list"),
        ("init", "dict"),
        ("act_layer", "expr"),
    ),
    "optim": (
        ("name", "str"),
        ("momentum", "float"),
        ("eps", "float"),
        ("nesterov", "bool"),
        ("betas", "list"),
        ("grad_clip", "float"),
    ),
    "sched": (
        ("name", "str"),
        ("gamma", "float"),
        ("step_size", "int"),
        ("milestones", "list"),
        ("min_lr", "float"),
        ("warmup_epochs", "int"),
        ("config", "dict"),
    ),
    "data": (
        ("root", "str"),
        ("image_size", "int"),
        ("crop_size", "int"),
        ("mean", "list"),
        ("std", "list"),
        ("shuffle", "bool"),
        ("pin_memory", "bool"),
        ("drop_last", "bool"),
        ("max_len", "int"),
        ("vocab_size", "int"),
        ("num_classes", "int"),
        ("cache_dir", "none"),
    ),
    "train": (
        ("log_interval", "int"),
        ("eval_interval", "int"),
        ("save_interval", "int"),
        ("grad_accum_steps", "int"),
        ("use_amp", "bool"),
        ("precision", "str"),
        ("patience", "int"),
        ("use_ema", "bool"),
        ("ema_decay", "float"),
        ("resume", "none"),
        ("max_steps", "expr"),
    ),
    "loss": (
        ("name", "str"),
        ("label_smoothing", "float"),
        ("temperature", "float"),
        ("class_weights", "list"),
    ),
    "aug": (
        ("mixup_alpha", "float"),
        ("cutmix_prob", "float"),
        ("scales", "list"),
        ("hflip", "bool"),
        ("color_jitter", "float"),
    ),
}
# Leaves of names local to one file (``"<module>.<leaf>"``), by kind.
_LOCAL_LEAVES: dict[str, tuple[str, ...]] = {
    "int": ("width", "channels", "blocks", "groups", "reduction", "window", "stride", "heads"),
    "float": ("scale", "alpha", "threshold", "gain", "margin", "decay"),
    "str": ("mode", "padding_mode", "pooling", "variant"),
    "bool": ("enabled", "residual", "gated", "affine"),
    "list": ("dilations", "sizes", "ratios"),
    "dict": ("options",),
    "none": ("checkpoint",),
    "expr": ("factory",),
}
_HELP = (
    "number of channels of the stem",
    "learning rate at the end of warm-up",
    "set to 0 to disable",
    "see the paper, section 3.2",
    "larger is slower but more accurate",
    "per device, not global",
    "in optimizer steps",
    "only used when training from scratch",
)

_Kind = str
_Name = tuple[str, _Kind]


def _global_names() -> list[_Name]:
    names = list(_POPULAR)
    for section, leaves in _SECTIONS.items():
        names.extend((f"{section}.{leaf}", kind) for leaf, kind in leaves)
    return names


# ----------------------------------------------------------------------------- slots


@dataclass
class _Slot:
    """A place in a template where a value goes: an ``_(...)`` call in a managed file (if
    chosen), else ``plain`` (a constant or a config attribute)."""

    kind: _Kind
    plain: str
    indent: str
    prefer: tuple[str, ...] = ()
    name: str | None = None
    call: str | None = None


_Part = Union[str, _Slot]


class _Writer:
    """Accumulates a file's text and its slots."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[_Part] = []
        self.size = 0
        self.slots: list[_Slot] = []
        self.indent = ""

    def text(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def slot(self, kind: _Kind, plain: str | None = None, prefer: tuple[str, ...] = ()) -> None:
        rng = self.rng
        if plain is None:
            plain = rng.choice(_DEFAULTS[kind])
        slot = _Slot(kind, plain, self.indent, prefer)
        self.parts.append(slot)
        self.slots.append(slot)
        self.size += len(plain) + 6

    def line(self, indent: int, *pieces: str | tuple[Any, ...]) -> None:
        """One line: strings are text, ``(kind, plain[, preferred names])`` tuples are
        slots."""
        self.indent = " " * indent
        self.text(self.indent)
        for piece in pieces:
            if isinstance(piece, str):
                self.text(piece)
            else:
                self.slot(*piece)
        self.text("\n")


# ------------------------------------------------------------------------- templates

_NOUNS = ("Residual", "Bottleneck", "Attention", "Conv", "Dense", "Mixer", "Gated", "Pyramid")
_SUFFIXES = ("Block", "Layer", "Head", "Encoder", "Decoder", "Stem", "Neck")
_VERBS = ("build", "make", "create", "init", "setup", "prepare")
_THINGS = ("optimizer", "scheduler", "loader", "model", "criterion", "transforms", "metrics")
_COMMENTS = (
    "# NOTE: keep this in sync with the checkpoint format",
    "# TODO: move to a registry once the API settles",
    "# the original paper uses a slightly different schedule here",
    "# avoid a division by zero on tiny datasets",
    "# this is a hot path: keep allocations out of the loop",
    "# XXX: workaround for a numerical issue with half precision",
    "# channels-last is faster on recent GPUs",
)


def _ident(rng: random.Random) -> str:
    return rng.choice(_NOUNS) + rng.choice(_SUFFIXES)


def _header(w: _Writer, module: str, managed: bool) -> None:
    rng = w.rng
    w.text(
        f'"""{module}: {rng.choice(_NOUNS).lower()} components for the training pipeline.\n'
        "\n"
        "This module is part of the experiment code base. It defines the building blocks\n"
        "used by the trainer, together with small helpers for schedules and logging.\n"
        "Everything here is importable without a GPU.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "import logging\nimport math\nimport os\nimport time\n"
        "from dataclasses import dataclass, field\n"
        "from typing import Any, Dict, Iterable, List, Optional, Tuple\n\n"
        "import numpy as np\nimport torch\nimport torch.nn.functional as F\n"
        "from torch import nn\n"
    )
    if managed:
        w.text("\nfrom hpman.m import _\n")
    w.text("\nlogger = logging.getLogger(__name__)\n\n")
    w.line(0, "DEFAULT_SEED = ", ("int", None, ("seed",)))
    w.line(0, "EPS = ", ("float", "1e-8"))
    w.text("\n\n")


def _module_class(w: _Writer) -> None:
    rng = w.rng
    name = _ident(rng) + str(rng.randrange(100))
    w.text(f"class {name}(nn.Module):\n")
    w.text(
        f'    """A {name} as used in the backbone.\n\n'
        "    Args:\n"
        "        in_channels: number of input channels.\n"
        "        out_channels: number of output channels.\n"
        '    """\n\n'
    )
    w.text("    def __init__(self, in_channels: int, out_channels: int) -> None:\n")
    w.text("        super().__init__()\n")
    w.line(8, "hidden = ", ("int", None, ("model.hidden_channels", "model.embed_dim")))
    w.line(
        8,
        "self.conv1 = nn.Conv2d(in_channels, hidden, kernel_size=",
        ("int", "3", ("model.kernel_size",)),
        ")",
    )
    w.line(
        8,
        "self.norm1 = nn.BatchNorm2d(hidden) if ",
        ("bool", None, ("model.use_bn",)),
        " else nn.Identity()",
    )
    w.text("        self.conv2 = nn.Conv2d(hidden, out_channels, kernel_size=1, bias=False)\n")
    w.line(8, "self.drop = nn.Dropout(p=", ("float", "0.1", ("dropout", "model.drop_path")), ")")
    w.text(f"        {rng.choice(_COMMENTS)}\n")
    w.line(8, "self.act = ", ("expr", "nn.ReLU", ("model.act_layer",)), "()")
    w.text("        self.blocks = nn.ModuleList()\n")
    w.line(8, "for index in range(", ("int", None, ("model.num_layers", "model.depth")), "):")
    w.text(
        "            self.blocks.append(nn.Conv2d(out_channels, out_channels, 3, padding=1))\n\n"
    )
    w.text("    def forward(self, x: torch.Tensor) -> torch.Tensor:\n")
    w.text('        """Apply the block; the residual is added when shapes agree."""\n')
    w.text("        residual = x\n")
    w.text("        x = self.act(self.norm1(self.conv1(x)))\n")
    w.text("        x = self.drop(self.conv2(x))\n")
    w.text("        for block in self.blocks:\n")
    w.text("            x = x + block(x)\n")
    w.text("        if x.shape == residual.shape:\n")
    w.line(12, "x = x + residual * ", ("float", "1.0"))
    w.text("        return x\n\n")
    w.text("    def extra_repr(self) -> str:\n")
    w.text('        return f"blocks={len(self.blocks)}"\n\n\n')


def _optimizer_fn(w: _Writer) -> None:
    rng = w.rng
    fn = f"{rng.choice(_VERBS)}_{rng.choice(_THINGS)}_{rng.randrange(100)}"
    w.text(f"def {fn}(model: nn.Module, steps_per_epoch: int) -> Tuple[Any, Any]:\n")
    w.text(
        '    """Create the optimizer and its learning-rate schedule.\n\n'
        "    Parameters without weight decay (biases, norms) are put in their own group.\n"
        '    """\n'
    )
    w.text("    decay, no_decay = [], []\n")
    w.text("    for pname, param in model.named_parameters():\n")
    w.text("        if not param.requires_grad:\n            continue\n")
    w.text(
        '        small = param.ndim <= 1 or pname.endswith(".bias")\n'
        "        (no_decay if small else decay).append(param)\n"
    )
    w.text("    groups = [\n")
    w.line(8, '{"params": decay, "weight_decay": ', ("float", "5e-4", ("weight_decay",)), "},")
    w.text('        {"params": no_decay, "weight_decay": 0.0},\n    ]\n')
    w.line(
        4,
        "optimizer = torch.optim.SGD(groups, lr=",
        ("float", "0.1", ("lr",)),
        ", momentum=",
        ("float", "0.9", ("optim.momentum",)),
        ")",
    )
    w.line(4, "epochs = ", ("int", "90", ("num_epochs",)))
    w.text("    total = epochs * steps_per_epoch\n")
    w.line(4, "warmup = ", ("int", "5", ("sched.warmup_epochs",)), " * steps_per_epoch")
    w.text(f"    {rng.choice(_COMMENTS)}\n")
    w.text("    def factor(step: int) -> float:\n")
    w.text("        if step < warmup:\n            return (step + 1) / max(1, warmup)\n")
    w.text("        progress = (step - warmup) / max(1, total - warmup)\n")
    w.text("        return 0.5 * (1.0 + math.cos(math.pi * progress))\n\n")
    w.text("    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)\n")
    w.text("    return optimizer, scheduler\n\n\n")


def _train_fn(w: _Writer) -> None:
    rng = w.rng
    fn = f"train_one_epoch_{rng.randrange(1000)}"
    w.text(
        f"def {fn}(model: nn.Module, loader: Iterable[Any], optimizer: Any, epoch: int) -> float:\n"
    )
    w.text('    """Train for one epoch and return the mean loss."""\n')
    w.text("    model.train()\n    running, count = 0.0, 0\n    start = time.time()\n")
    w.line(4, "accumulate = ", ("int", "1", ("train.grad_accum_steps",)))
    w.text("    for step, (images, targets) in enumerate(loader):\n")
    w.text("        images = images.cuda(non_blocking=True)\n")
    w.text("        targets = targets.cuda(non_blocking=True)\n")
    w.line(
        8,
        'with torch.autocast(device_type="cuda", enabled=',
        ("bool", "True", ("train.use_amp",)),
        "):",
    )
    w.text("            logits = model(images)\n")
    w.line(
        12,
        "loss = F.cross_entropy(logits, targets, label_smoothing=",
        ("float", "0.1", ("loss.label_smoothing",)),
        ")",
    )
    w.text("        (loss / accumulate).backward()\n")
    w.text("        if (step + 1) % accumulate == 0:\n")
    w.line(
        12,
        "nn.utils.clip_grad_norm_(model.parameters(), ",
        ("float", "5.0", ("optim.grad_clip",)),
        ")",
    )
    w.text("            optimizer.step()\n            optimizer.zero_grad(set_to_none=True)\n")
    w.text("        running += loss.item()\n        count += 1\n")
    w.line(8, "if step % ", ("int", "50", ("train.log_interval",)), " == 0:")
    w.text(
        "            speed = count * images.shape[0] / (time.time() - start)\n"
        '            logger.info("epoch %d step %d loss %.4f (%.1f img/s)",\n'
        "                        epoch, step, running / count, speed)\n"
    )
    w.text(f"    {rng.choice(_COMMENTS)}\n")
    w.text("    for _ in range(2):\n        torch.cuda.synchronize()\n")
    w.text("    return running / max(1, count)\n\n\n")


def _dataset_class(w: _Writer) -> None:
    rng = w.rng
    name = rng.choice(("Image", "Text", "Audio", "Point")) + "Dataset" + str(rng.randrange(100))
    w.text(f"class {name}(torch.utils.data.Dataset):\n")
    w.text(
        f'    """Samples of the {name[:-9].lower()} benchmark, read lazily from ``root``."""\n\n'
    )
    w.text("    def __init__(self, root: str, train: bool = True) -> None:\n")
    w.text("        self.root = root\n        self.train = train\n")
    w.text('        self.files = sorted(f for f in os.listdir(root) if not f.startswith("."))\n')
    w.line(8, "self.size = ", ("int", "224", ("data.image_size", "data.crop_size")))
    w.line(
        8,
        "self.mean = np.asarray(",
        ("list", "[0.485, 0.456, 0.406]", ("data.mean",)),
        ", dtype=np.float32)",
    )
    w.line(8, "self.flip = ", ("bool", "True", ("aug.hflip",)), " and train")
    w.text("\n    def __len__(self) -> int:\n        return len(self.files)\n\n")
    w.text("    def __getitem__(self, index: int) -> Tuple[np.ndarray, int]:\n")
    w.text("        path = os.path.join(self.root, self.files[index])\n")
    w.text("        array = np.load(path).astype(np.float32) / 255.0\n")
    w.text("        if self.flip and np.random.rand() < 0.5:\n")
    w.text("            array = array[:, ::-1]\n")
    w.text("        array = (array - self.mean) / (self.mean.std() + EPS)\n")
    w.text("        label, _ = divmod(index, len(self.files))\n")
    w.text("        return array, label\n\n\n")


def _schedule_fn(w: _Writer) -> None:
    rng = w.rng
    fn = f"cosine_schedule_{rng.randrange(1000)}"
    w.text(f"def {fn}(step: int, total: int, base: float) -> float:\n")
    w.text(
        '    """Cosine decay from ``base`` to a floor, after a linear warm-up.\n\n'
        "    >>> round(cosine_schedule(0, 100, 1.0), 3)\n    0.0\n"
        '    """\n'
    )
    w.line(4, "floor = ", ("float", "1e-5", ("sched.min_lr",)))
    w.line(4, "warmup = min(total // 10, ", ("int", "1000"), ")")
    w.text("    if step < warmup:\n        return base * step / max(1, warmup)\n")
    w.text("    t = (step - warmup) / max(1, total - warmup)\n")
    w.text("    return floor + (base - floor) * 0.5 * (1.0 + math.cos(math.pi * t))\n\n\n")


def _config_class(w: _Writer) -> None:
    rng = w.rng
    name = rng.choice(_NOUNS) + "Config" + str(rng.randrange(100))
    w.text("@dataclass\n")
    w.text(f"class {name}:\n")
    w.text('    """Settings of one experiment (serialised next to the checkpoints)."""\n\n')
    w.line(4, "name: str = ", ("str", None, ("optim.name", "sched.name", "loss.name")))
    w.line(4, "depth: int = ", ("int", None, ("model.depth",)))
    w.line(4, "width: int = ", ("int", None))
    w.line(4, "ratio: float = ", ("float", None))
    w.line(4, "enabled: bool = ", ("bool", None, ("train.use_ema",)))
    w.line(4, "checkpoint: Optional[str] = ", ("none", "None", ("train.resume",)))
    w.line(4, "options: Dict[str, Any] = field(default_factory=lambda: ", ("dict", None), ")")
    w.text("    tags: List[str] = field(default_factory=list)\n\n")
    w.text("    def to_dict(self) -> Dict[str, Any]:\n")
    w.text("        return {k: getattr(self, k) for k in self.__dataclass_fields__}\n\n\n")


def _evaluate_fn(w: _Writer) -> None:
    rng = w.rng
    fn = f"evaluate_{rng.randrange(1000)}"
    w.text("@torch.no_grad()\n")
    w.text(f"def {fn}(model: nn.Module, loader: Iterable[Any]) -> Dict[str, float]:\n")
    w.text('    """Top-1/top-5 accuracy and mean loss over ``loader``."""\n')
    w.text("    model.eval()\n    correct1 = correct5 = seen = 0\n    total_loss = 0.0\n")
    w.text("    for images, targets in loader:\n")
    w.text("        logits = model(images)\n")
    w.text('        total_loss += F.cross_entropy(logits, targets, reduction="sum").item()\n')
    w.text("        _, top5 = logits.topk(5, dim=1)\n")
    w.text("        correct1 += (top5[:, 0] == targets).sum().item()\n")
    w.text("        correct5 += (top5 == targets[:, None]).any(dim=1).sum().item()\n")
    w.text("        seen += targets.numel()\n")
    w.line(4, "threshold = ", ("float", "0.5"))
    w.text(f"    {rng.choice(_COMMENTS)}\n")
    w.text("    return {\n")
    w.text('        "top1": correct1 / max(1, seen),\n')
    w.text('        "top5": correct5 / max(1, seen),\n')
    w.text('        "loss": total_loss / max(1, seen),\n')
    w.text('        "passed": float(correct1 / max(1, seen) > threshold),\n')
    w.text("    }\n\n\n")


def _helpers(w: _Writer) -> None:
    rng = w.rng
    suffix = rng.randrange(1000)
    w.text(f"def count_parameters_{suffix}(model: nn.Module, trainable: bool = True) -> int:\n")
    w.text('    """Number of (trainable) parameters of ``model``."""\n')
    w.text(
        "    return sum(\n"
        "        p.numel() for p in model.parameters() if p.requires_grad or not trainable\n"
        "    )\n\n\n"
    )
    w.text(f"def set_seed_{suffix}(seed: Optional[int] = None) -> int:\n")
    w.text('    """Seed every generator; returns the seed used."""\n')
    w.text("    seed = DEFAULT_SEED if seed is None else seed\n")
    w.text("    np.random.seed(seed)\n    torch.manual_seed(seed)\n")
    w.text("    for _ in range(torch.cuda.device_count()):\n        pass\n")
    w.text("    return seed\n\n\n")
    w.text(f"def moving_average_{suffix}(values: List[float]) -> List[float]:\n")
    w.text('    """Exponential moving average, as plotted in the dashboards."""\n')
    w.line(4, "decay = ", ("float", "0.99", ("train.ema_decay",)))
    w.text("    out, acc = [], None\n")
    w.text("    for value in values:\n")
    w.text("        acc = value if acc is None else decay * acc + (1 - decay) * value\n")
    w.text("        out.append(acc)\n    return out\n\n\n")


_BLOCKS: tuple[Callable[[_Writer], None], ...] = (
    _module_class,
    _optimizer_fn,
    _train_fn,
    _dataset_class,
    _schedule_fn,
    _config_class,
    _evaluate_fn,
    _helpers,
)


def _main_block(w: _Writer, managed: bool) -> None:
    w.text('if __name__ == "__main__":\n')
    w.text("    logging.basicConfig(level=logging.INFO)\n")
    if managed:
        w.text("    _.parse_file(os.path.dirname(os.path.abspath(__file__)))\n")
        w.text('    logger.info("lr = %s", _.get_value("lr"))\n')
    else:
        w.text('    logger.info("seed = %s", DEFAULT_SEED)\n')
    w.text('    for _ in range(1):\n        logger.info("ok")\n')


# ------------------------------------------------------------------------------ corpus


@dataclass(frozen=True)
class Corpus:
    """A generated corpus: file contents by relative path, and what is in it."""

    seed: int
    files: dict[str, bytes]
    managed: tuple[str, ...]
    defaults: dict[str, str] = field(default_factory=dict)  # name -> default source text
    uses: dict[str, int] = field(default_factory=dict)  # name -> number of calls
    rename_files: tuple[str, ...] = ()

    @property
    def names(self) -> set[str]:
        """Every hyper-parameter name that some call uses."""
        return set(self.uses)

    def write(self, root: str | Path) -> Path:
        """Write the files under ``root`` (created if needed); returns ``root``."""
        root = Path(root)
        for rel, data in self.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return root


@dataclass
class _File:
    rel: str
    managed: bool
    writer: _Writer
    calls: list[_Slot] = field(default_factory=list)


def _build_file(rng: random.Random, rel: str, module: str, managed: bool) -> _File:
    w = _Writer(rng)
    _header(w, module, managed)
    target = rng.randint(FILE_BYTES - 1200, FILE_BYTES + 1200)
    blocks = list(_BLOCKS)
    rng.shuffle(blocks)
    index = 0
    while w.size < target - 500:
        blocks[index % len(blocks)](w)
        index += 1
    _main_block(w, managed)
    return _File(rel, managed, w)


def _choose_names(
    rng: random.Random, file: _File, local_prefix: str, global_names: Sequence[_Name]
) -> None:
    slots = file.writer.slots
    k = min(len(slots), rng.randint(CALLS_PER_FILE - 3, CALLS_PER_FILE + 3))
    by_kind: dict[str, list[str]] = {}
    weights: dict[str, list[float]] = {}
    for rank, (name, kind) in enumerate(global_names):
        by_kind.setdefault(kind, []).append(name)
        weights.setdefault(kind, []).append(1.0 / (1 + rank) ** 0.8)
    used_local: set[str] = set()
    for slot in sorted(rng.sample(slots, k), key=slots.index):
        if rng.random() < 0.3:
            leaves = [x for x in _LOCAL_LEAVES[slot.kind] if x not in used_local]
            if leaves:
                leaf = rng.choice(leaves)
                used_local.add(leaf)
                slot.name = f"{local_prefix}.{leaf}"
        if slot.name is None and slot.prefer and rng.random() < 0.75:
            slot.name = rng.choice(slot.prefer)
        if slot.name is None and slot.kind in by_kind:
            slot.name = rng.choices(by_kind[slot.kind], weights[slot.kind])[0]
        if slot.name is not None:
            file.calls.append(slot)


def _hints(rng: random.Random, kind: str, default: str) -> list[str]:
    hints = []
    if rng.random() < 0.3:
        hints.append(f"help={rng.choice(_HELP)!r}")
    if kind == "str" and rng.random() < 0.5:
        value = ast.literal_eval(default)
        choices = sorted({value, *rng.sample(_STR_CHOICES, 2)})
        hints.append(f"choices={choices!r}")
    elif kind in ("int", "float") and rng.random() < 0.2:
        hints.append("range=[0, 10000]" if kind == "int" else "range=[0.0, 1.0]")
    return hints


def _render_call(rng: random.Random, slot: _Slot, default: str | None) -> str:
    assert slot.name is not None
    quote = "'" if rng.random() < 0.15 else '"'
    name = f"{quote}{slot.name}{quote}"
    if default is None:
        return f"_({name})"
    hints = _hints(rng, slot.kind, default)
    args = [name, default, *hints]
    if hints and (len(hints) > 1 or rng.random() < 0.5):
        inner = slot.indent + "    "
        body = "".join(f"{inner}{a},\n" for a in args)
        return f"_(\n{body}{slot.indent})"
    return f"_({', '.join(args)})"


def generate(n_files: int, managed_share: float, seed: int = 0) -> Corpus:
    """Generate ``n_files`` files, ``round(n_files * managed_share)`` of them managed.

    Deterministic: the same arguments give the same bytes.
    """
    if n_files < 1 or not 0.0 <= managed_share <= 1.0:
        raise ValueError("need n_files >= 1 and 0 <= managed_share <= 1")
    rng = random.Random(f"corpus/{seed}/{n_files}/{managed_share}")
    n_managed = round(n_files * managed_share)
    managed_ids = set(rng.sample(range(n_files), n_managed))
    n_rename = min(n_managed, max(1, round(n_files * RENAME_SHARE))) if n_managed else 0
    rename_ids = set(rng.sample(sorted(managed_ids), n_rename))
    global_names = _global_names()
    rng.shuffle(global_names)
    # Popular names first, so they get the largest weights.
    global_names.sort(key=lambda item: item not in _POPULAR)
    files: list[_File] = []
    for i in range(n_files):
        file_rng = random.Random(f"file/{seed}/{i}")
        role = file_rng.choice(("model", "layers", "train", "data", "optim", "utils", "eval"))
        module = f"{role}_{i:05d}"
        rel = f"pkg_{i // FILES_PER_DIR:03d}/{module}.py"
        file = _build_file(file_rng, rel, module, i in managed_ids)
        if file.managed:
            _choose_names(file_rng, file, module, global_names)
            if i in rename_ids:
                _add_rename_call(file_rng, file)
        files.append(file)
    return _render(seed, files, rng)


def _add_rename_call(rng: random.Random, file: _File) -> None:
    candidates = [s for s in file.writer.slots if s.kind == "int" and s.name is None]
    slot = rng.choice(candidates) if candidates else None
    if slot is None:  # every int slot is taken: reuse one
        slot = next(s for s in file.calls if s.kind == "int")
    else:
        file.calls.append(slot)
        file.calls.sort(key=file.writer.slots.index)
    slot.name = RENAME_NAME


def _render(seed: int, files: list[_File], rng: random.Random) -> Corpus:
    defaults: dict[str, str] = {}
    uses: dict[str, int] = {}
    out: dict[str, bytes] = {}
    for file in files:
        for slot in file.calls:
            assert slot.name is not None
            default = None
            if slot.name not in defaults:
                default = slot.plain
                defaults[slot.name] = default
            uses[slot.name] = uses.get(slot.name, 0) + 1
            slot.call = _render_call(rng, slot, default)
        text = "".join(
            p if isinstance(p, str) else (p.call if p.call is not None else p.plain)
            for p in file.writer.parts
        )
        out[file.rel] = text.encode()
    return Corpus(
        seed=seed,
        files=out,
        managed=tuple(f.rel for f in files if f.managed),
        defaults=defaults,
        uses=uses,
        rename_files=tuple(f.rel for f in files if any(s.name == RENAME_NAME for s in f.calls)),
    )


def many_sites(sites: int) -> str:
    """One module in which :data:`RENAME_NAME` is used ``sites`` times (its default once,
    then reads and ``_.get_value`` calls in functions of five uses each), for the case of
    many edits in one file."""
    name = RENAME_NAME
    lines = ["from hpman_cst.m import _", "", f'WARMUP = _("{name}", 1000)']
    block = 0
    while 1 + 5 * block < sites:
        lines += [
            "",
            "",
            f"def step_{block}(x):",
            f'    """Warm-up of step {block}."""',
            f'    a = _("{name}") * x  # scaled',
            f"    b = min(a, _('{name}') + {block})",
            f'    if x > _("{name}"):',
            f'        return _.get_value("{name}")',
            f'    return {{"warmup": _("{name}"), "x": x, "b": b}}',
        ]
        block += 1
    return "\n".join(lines) + "\n"


def _main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root")
    parser.add_argument("-n", "--files", type=int, default=100)
    parser.add_argument("-p", "--managed-share", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    corpus = generate(args.files, args.managed_share, args.seed)
    corpus.write(args.root)


if __name__ == "__main__":
    _main()
