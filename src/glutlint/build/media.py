"""Decide which images a build may embed, and hand them to the writers without pandoc reading.

pandoc runs with `--sandbox`, so it cannot read image files itself. glutlint resolves every
image target: first the figures the build generates (kept in memory), then image files
(by extension) inside the project root. Anything else (an absolute path such as
/etc/hostname, `..` escapes, symlinks out of the project, URLs, non-image files) is replaced
by its alt text in every format, and the build says so.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
}
MAX_IMAGE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Media:
    """One image the build may embed: its bytes and a file name extension."""

    data: bytes
    suffix: str

    @property
    def mime(self) -> str:
        return IMAGE_TYPES.get(self.suffix, "application/octet-stream")

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def iter_images(node: object) -> Iterator[dict]:
    """Every Image element of a pandoc JSON AST (blocks, inlines and metadata)."""
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if x.get("t") == "Image":
                yield x
            stack.extend(reversed(list(x.values())))
        elif isinstance(x, list):
            stack.extend(reversed(x))


def image_target(img: dict) -> str:
    return img["c"][2][0]


class MediaResolver:
    """Map image targets to allowed bytes: generated figures first, then files in the project."""

    def __init__(self, root: Path, generated: dict[str, Media]) -> None:
        self.root = root.resolve()
        self.generated = generated

    def resolve(self, target: str) -> Media | None:
        if target in self.generated:
            return self.generated[target]
        if not target or ":" in target.split("/", 1)[0] or target.startswith(("/", "\\", "~")):
            return None  # URLs, data: URIs, absolute paths: never read
        from ..errors import InputError
        from ..textio import read_bytes, real_path

        path = real_path(self.root / unquote(target.split("#", 1)[0].split("?", 1)[0]))
        if path.suffix.lower() not in IMAGE_TYPES or not path.is_relative_to(self.root):
            return None
        try:  # a FIFO, a device, a folder, a symlink loop or an oversized file: not embedded
            data = read_bytes(path, target, limit=MAX_IMAGE_BYTES)
        except InputError:
            return None
        return Media(data, path.suffix.lower())


def rewrite_images(
    doc: dict, resolver: MediaResolver, place: Callable[[Media], str]
) -> tuple[dict, list[str]]:
    """A copy of `doc` whose allowed images point where `place` put them.

    An image that may not (or cannot) be embedded becomes its alt text, the same in every
    format, and its target is returned so the build can say so.
    """
    out = copy.deepcopy(doc)
    cache: dict[str, str | None] = {}
    refused: list[str] = []
    for img in list(iter_images(out)):
        target = image_target(img)
        if target not in cache:
            media = resolver.resolve(target)
            cache[target] = place(media) if media is not None else None
            if media is None:
                refused.append(target)
        if cache[target] is None:
            alt = img["c"][1]
            img["t"] = "Span"
            img["c"] = [["", ["image-not-embedded"], []], alt]
        else:
            img["c"][2][0] = cache[target]
    return out, refused


def check_images(config: object, generated: set[str]) -> None:
    """Refuse, before anything is written, an image the build may not embed.

    An absolute path, a `..` escape, a symlink out of the project, a URL or a file that is not
    an image is an input error at its file and line: a manuscript cannot pull outside files
    into a submission.
    """
    import re

    from ..errors import InputError
    from ..manuscript import parse
    from ..textio import read_text

    root = config.root.resolve()  # type: ignore[attr-defined]
    image_re = re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)")
    resolver = MediaResolver(root, {g: Media(b"", ".png") for g in generated})
    for path in config.manuscript:  # type: ignore[attr-defined]
        shown = config.rel(path)  # type: ignore[attr-defined]
        doc = parse(path, read_text(path, shown), shown)
        for block in doc.blocks:
            for m in image_re.finditer(block.raw):
                target = m.group(1)
                if resolver.resolve(target) is None:
                    line, _col = block.position(m.start(1))
                    named = f" '{target}'" if not target.startswith(("/", "\\", "~")) else ""
                    raise InputError(
                        shown, line, f"image{named} is not an image file inside the project"
                    )
