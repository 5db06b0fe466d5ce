"""Write the outputs of a build all or nothing; readers never see a half-written file.

Every output, and every scratch folder a writer needs (pandoc's reference document, Typst's
sources and images), lives first in one staging folder inside the output folder,
`.glutlint-staging-<pid>-<random>` (same file system, so `os.replace` is atomic). Only when
every step succeeded is each target checked replaceable (not a folder, its folder writable)
and then, all checks passed, moved into place. A failure removes the staging folder; a build
killed outright leaves it behind, and the next build in that folder removes it (and any
`.<name>.<pid>-<hex>.tmp` file of the older writer) once its process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

from ..atomic import not_replaceable
from ..errors import InputError

STAGING_PREFIX = ".glutlint-staging-"
#: A staging folder, or a temporary file of `glutlint.atomic`: `.<name>.<pid>-<hex>.tmp`.
LEFTOVER_RE = re.compile(r"^(?:\.glutlint-staging-(\d+)-[0-9a-f]+|\..+\.(\d+)-[0-9a-f]{8}\.tmp)$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (EPERM): alive
        return True
    return True


def sweep(folder: Path) -> list[Path]:
    """Remove what killed builds left in `folder` and its direct subfolders; returns it."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    places = [folder, *(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())]
    for place in places:
        with contextlib.suppress(OSError):
            for p in list(place.iterdir()):
                m = LEFTOVER_RE.match(p.name)
                if m is None or _alive(int(m.group(1) or m.group(2))):
                    continue
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        p.unlink()
                removed.append(p)
    return removed


class StagedOutputs:
    """Collect the outputs of one build; `commit` moves them all into place, else nothing.

    `outdir` is the output folder (the staging folder goes inside it); without it, the
    folder of the first output added."""

    def __init__(self, outdir: Path | None = None) -> None:
        self.outdir = outdir
        self._staging: Path | None = None
        self._staged: list[tuple[Path, Path]] = []
        self._made: list[Path] = []
        self._scratch = 0

    def _folder(self, near: Path) -> Path:
        """The staging folder (made on first use, with the output folder if need be)."""
        if self._staging is None:
            out = self.outdir or near
            missing = [p for p in [out, *out.parents] if not p.exists()]
            out.mkdir(parents=True, exist_ok=True)
            self._made += reversed(missing)  # outermost first
            sweep(out)
            while True:
                name = f"{STAGING_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
                try:
                    (out / name).mkdir()
                    break
                except FileExistsError:  # pragma: no cover - 32 random bits taken
                    continue
            self._staging = out / name
            self.outdir = out
        return self._staging

    def workdir(self, name: str) -> Path:
        """A fresh scratch folder inside the staging folder (removed with it)."""
        self._scratch += 1
        folder = self._folder(self.outdir or Path.cwd()) / f"work-{self._scratch}-{name}"
        folder.mkdir()
        return folder

    def add(self, dest: Path, data: bytes) -> None:
        """Write `data` to the staging folder; `dest` is untouched for now. An OSError names
        `dest`, never the staged file."""
        outdir = self.outdir or dest.parent
        staging = self._folder(outdir)
        rel = dest.relative_to(outdir) if dest.is_relative_to(outdir) else dest.name
        staged = staging / "out" / rel
        try:
            staged.parent.mkdir(parents=True, exist_ok=True)
            with open(staged, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(dest)) from None
        self._staged.append((staged, dest))

    @staticmethod
    def check(dests: list[Path]) -> None:
        """Refuse (InputError naming the final path) a target that cannot be replaced: a
        folder in its place, a file where its folder should be, a folder not writable."""
        for dest in dests:
            reason = not_replaceable(dest)  # a folder, a FIFO, a device: never replaced
            if reason is not None:
                raise InputError(dest, None, reason)
            parent = dest.parent
            while not parent.exists() and parent != parent.parent:
                parent = parent.parent
            if not parent.is_dir():
                raise InputError(parent, None, "is not a folder; cannot write the outputs in it")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise InputError(parent, None, "folder is not writable")

    def commit(self) -> list[Path]:
        """Check every target, then move every staged file into place; returns the
        destinations in order. Nothing is replaced unless every target passed the check."""
        self.check([dest for _, dest in self._staged])
        done = []
        for staged, dest in self._staged:
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                reason = not_replaceable(dest)  # made since the check: still never replaced
                if reason is not None:
                    raise InputError(dest, None, reason)
                os.replace(staged, dest)
            except OSError as exc:
                raise InputError(dest, None, f"cannot write: {exc.strerror}") from None
            done.append(dest)
        self._staged.clear()
        self._made.clear()
        self._remove_staging()
        return done

    def _remove_staging(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def discard(self) -> None:
        """Remove the staging folder of a failed build, and the folders it made."""
        self._staged.clear()
        self._remove_staging()
        for folder in reversed(self._made):  # innermost first; only folders this build made
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._made.clear()

    def __enter__(self) -> StagedOutputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
