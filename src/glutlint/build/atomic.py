"""Write outputs so that readers never see a half-written file and failures change nothing.

Every output of a build is first written to a temporary file in its destination folder (same
filesystem, so `os.replace` is atomic) and only moved into place once every step succeeded.
Staging and replacing are glutlint's one atomic writer (`glutlint.atomic`).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from .. import atomic


class StagedOutputs:
    """Collect the outputs of one build; `commit` moves them all into place, else nothing."""

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []
        self._made: list[Path] = []

    def add(self, dest: Path, data: bytes) -> None:
        """Write `data` next to `dest` under a temporary name; `dest` is untouched for now."""
        missing = [p for p in [dest.parent, *dest.parent.parents] if not p.exists()]
        dest.parent.mkdir(parents=True, exist_ok=True)
        self._made += reversed(missing)  # outermost first
        self._staged.append((atomic.stage(dest, data, durable=True), dest))

    def commit(self) -> list[Path]:
        """Move every staged file into place; returns the destinations in order."""
        done = []
        for tmp, dest in self._staged:
            atomic.replace(tmp, dest)
            done.append(dest)
        self._staged.clear()
        self._made.clear()
        return done

    def discard(self) -> None:
        """Remove the temporary files of a failed build."""
        for tmp, _ in self._staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._staged.clear()
        for folder in reversed(self._made):  # innermost first; only folders this build made
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._made.clear()

    def __enter__(self) -> StagedOutputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
