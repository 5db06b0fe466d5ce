"""Everything a check needs, loaded once: bibliography, sources, lexicon, ledger.

A Project stays warm between checks (the language server re-checks on every keystroke), so
only the manuscript is parsed again.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .bibliography import Entry, load_bibliography
from .cache import CACHE_DIR, Store
from .cache import key as cache_key
from .config import Config
from .errors import InputError
from .evidence import SourceIndex
from .ledger import Ledger, load_ledger
from .lexicon import LearnedState, Lexicon, Scan, load_lexicon, scan
from .manuscript import Document, parse_all
from .nesting import refuse_deep_nesting, too_deep
from .sidecar import SourceSettings, load_sidecar
from .sources import SourceText, load_sources
from .textio import check_regular, read_text


def _scan_of(source: SourceText) -> Scan:
    return scan(source.text)


def _jobs() -> int | None:
    """Worker processes for a cold read of the sources: GLUTLINT_JOBS, else one per core."""
    import os

    value = os.environ.get("GLUTLINT_JOBS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise InputError(None, None, f"GLUTLINT_JOBS must be a positive integer, not {value!r}")
    return int(value)


@dataclass
class Project:
    config: Config
    entries: dict[str, Entry] = field(default_factory=dict)
    settings: dict[str, SourceSettings] = field(default_factory=dict)
    sources: dict[str, SourceText] = field(default_factory=dict)
    lexicon: Lexicon = field(default_factory=Lexicon)
    ledger: Ledger = field(default_factory=Ledger)
    #: What this project's checks work out, kept between runs; `flush()` it on success.
    store: Store = field(default_factory=lambda: Store(None))

    @classmethod
    def load(cls, config: Config) -> Project:
        p = cls(config, store=Store(config.root / CACHE_DIR if config.cache else None))
        rel = config.rel
        store = p.store
        p.entries = load_bibliography(config.bibliography, config.root, store, config.allowed_roots)
        if config.sources is not None:
            p.settings = load_sidecar(config.sources, store)
            for key in p.settings:
                if key not in p.entries:
                    raise InputError(
                        rel(config.sources), None, f"'{key}' is not a bibliography key"
                    )
        items = []
        for key, entry in p.entries.items():
            if entry.file is None:
                continue
            gone = not entry.file.exists() and not entry.file.is_symlink()  # a loop exists
            if gone or entry.file.is_dir():
                raise InputError(
                    rel(config.bibliography),
                    entry.field_lines.get("file", entry.line),
                    f"source file of {key} not found: {rel(entry.file)}",
                )
            check_regular(entry.file, rel(entry.file))
            items.append((key, entry.file, rel(entry.file)))
        p.sources = load_sources(items, p.settings, store, _jobs())
        shown = rel(config.lexicon) if config.lexicon else ""
        p.lexicon = load_lexicon(config.lexicon, shown, store)
        p.lexicon = p._learned()
        p.ledger = load_ledger(
            config.facts, rel(config.facts) if config.facts else "", set(p.entries), store
        )
        return p

    def _learned(self) -> Lexicon:
        """The lexicon with what every source teaches it. What is learned depends only on
        the lexicon and the sources, so the result is kept under a key of both: a check
        with hundreds of sources then reads one file, not one per source."""
        store = self.store
        lex = self.lexicon
        lex_file = self.config.lexicon
        lex_text = read_text(lex_file, self.config.rel(lex_file)) if lex_file else ""
        k = cache_key(lex_text, *(f"{k}\0{s.digest}" for k, s in self.sources.items()))

        def learn() -> LearnedState:
            lex.learn(
                [
                    store.value(f"scan-{s.digest}", Scan, functools.partial(_scan_of, s))
                    for s in self.sources.values()
                ]
            )
            return lex.learned_state()

        lex.restore(store.value(f"learned-{k}", LearnedState, learn))
        lex.fingerprint = k
        lex.store = store
        return lex

    @cached_property
    def fingerprint(self) -> str:
        """Everything outside a claim that its verdict depends on: the bibliography, every
        source (their names feed the lexicon) and the lexicon file."""
        parts = [json.dumps([e.key, e.fields]) for e in self.entries.values()]
        parts += [f"{k}\0{self.config.rel(s.path)}\0{s.digest}" for k, s in self.sources.items()]
        lexicon = self.config.lexicon
        parts.append(read_text(lexicon, self.config.rel(lexicon)) if lexicon else "")
        return cache_key(*parts)

    @cached_property
    def indexes(self) -> dict[str, SourceIndex]:
        return {
            k: SourceIndex(self.entries[k], s, self.config.rel(s.path))
            for k, s in self.sources.items()
        }

    def parse(self, paths: list[Path], texts: dict[Path, str] | None = None) -> list[Document]:
        """Parse manuscript files; `texts` gives in-memory content (an editor's unsaved text)."""
        items = []
        for path in paths:
            shown = self.config.rel(path)
            text = (texts or {}).get(path)
            if text is None:
                text = read_text(path, shown)
            refuse_deep_nesting(text, shown)  # before pandoc spends minutes on it
            items.append((path, text, shown))
        try:
            return parse_all(items, self.store)
        except RecursionError:  # deep below the limit in a way the scan does not measure
            raise too_deep([(text, shown) for _, text, shown in items]) from None
