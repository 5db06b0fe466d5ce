"""A small content-keyed JSON cache under the project's .glutlint_cache folder.

Entries are computed on a miss and written only by `flush()`, which the CLI calls after a
command succeeded: a refused or failed command leaves the project folder as it was. JSON, not
pickle: a cache file is data, never code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

VERSION = "1"
_PENDING: dict[Path, object] = {}


def key(*parts: str) -> str:
    h = hashlib.sha256(VERSION.encode())
    for part in parts:
        h.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def cached(folder: Path | None, name: str, compute: Callable[[], object]) -> object:
    """The JSON value stored as `name` in `folder`, or `compute()` (queued for writing)."""
    if folder is None:
        return compute()
    file = folder / f"{name}.json"
    if file in _PENDING:
        return _PENDING[file]
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        value = compute()
        _PENDING[file] = value
        return value


def flush() -> None:
    """Write queued entries atomically; a cache that cannot be written is only a lost speed-up."""
    while _PENDING:
        file, value = _PENDING.popitem()
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(value, fh)
            os.replace(tmp, file)
        except OSError:
            continue
