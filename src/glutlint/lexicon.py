"""Named agents, classes, events and agencies: data from refs/, aliases learned from sources.

The lexicon file holds the field's vocabulary; this module only knows how to read it and how
to learn more aliases from the way sources introduce names: "long form (ALIAS)",
"long form [ALIAS/CODE]" (Schwartz-Hearst style pairs).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .yamlfile import LineDict, load_yaml

if TYPE_CHECKING:
    from .cache import Store

CODE_RE = re.compile(r"(?<![\w-])(?:[A-Z][A-Za-z]{0,5}-?\d{2,}(?:[,-]\d{3})?[A-Z]?)(?![\w-])")
_FOLDED_CODE_RE = re.compile(r"([a-z]{1,6})-?\d{2,}(?:[,-]\d{3})?[a-z]?")
#: Two or more names joined as a combination: "X-Y", "X/Y", "X + Y", "X plus Y".
COMBINATION_RE = re.compile(
    r"(?<![\w-])[A-Za-z][\w]*(?:(?:\s*[-/+\u2013]\s*|\s+plus\s+)[A-Za-z][\w]*)+(?![\w-])"
)
_PART_RE = re.compile(r"(?!plus\b)[A-Za-z][\w]*")
_WORD_RE = re.compile(r"(?<![\w-])[A-Za-z][\w]*(?![\w-])")
KEYS = {
    "agents",
    "agent_suffixes",
    "classes",
    "events",
    "agencies",
    "indications",
    "qualifiers",
    "not_agents",
}


@functools.cache
def inn_stems() -> tuple[str, ...]:
    """The drug-name endings glutlint knows without a lexicon (package data: WHO INN stems)."""
    from importlib.resources import files

    text = files("glutlint").joinpath("data/inn_stems.txt").read_text(encoding="utf-8")
    return tuple(x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#"))


def fold(s: str) -> str:
    """Case- and dash-insensitive form used for all name comparisons."""
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    s = s.replace("®", "").replace("™", "")
    return re.sub(r"\s+", " ", s).strip().lower()


@dataclass
class TermClass:
    name: str
    terms: list[str]
    modifiers: list[str]
    heads: list[str]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        mods = "|".join(re.escape(m) for m in sorted(self.modifiers, key=len, reverse=True))
        heads = "|".join(re.escape(h) for h in sorted(self.heads, key=len, reverse=True))
        terms = "|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True))
        parts = []
        if terms:
            parts.append(rf"\b(?:{terms})s?\b")
        if mods and heads:
            parts.append(rf"\b(?:{mods})\b(?:[\s-]+[\w-]+){{0,3}}?[\s-]+(?:{heads})\b")
        return re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE)


@dataclass
class Lexicon:
    """Agents with alias groups, classes, events and agencies."""

    groups: dict[str, set[str]] = field(default_factory=dict)  # canonical -> folded names
    canonical: dict[str, str] = field(default_factory=dict)  # folded name -> canonical
    suffixes: list[str] = field(default_factory=list)
    classes: dict[str, TermClass] = field(default_factory=dict)
    events: dict[str, list[str]] = field(default_factory=dict)
    agencies: dict[str, list[str]] = field(default_factory=dict)
    indications: dict[str, list[str]] = field(default_factory=dict)
    qualifiers: dict[str, list[str]] = field(default_factory=dict)
    not_agents: set[str] = field(default_factory=set)
    corpus_agents: set[str] = field(default_factory=set)
    #: Drug names by their stem only (no lexicon suffix) that a source defines with an
    #: abbreviation, code or brand ("albendazole (ALB)"): folded alias -> folded name. Read
    #: for the names a claim must find in its sources, not for number binding.
    stem_aliases: dict[str, str] = field(default_factory=dict)
    #: Every abbreviation a source defines ("diethylcarbamazine (DEC)"): a part of a
    #: combination with a known agent ("DEC-ALB") is an agent by the name it abbreviates.
    defined: dict[str, str] = field(default_factory=dict)
    #: Identifies the file and everything learned (set by the project); "" for none.
    fingerprint: str = ""
    #: The project's store, where answers of `agents_in` are kept (set by the project).
    store: Store | None = field(default=None, repr=False, compare=False)
    _agents_seen: dict[str, list[tuple[int, int, str]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def add_group(self, names: list[str]) -> None:
        """Merge names into one alias group (union of any groups they already belong to)."""
        folded = [fold(n) for n in names if n and fold(n) not in self.not_agents]
        if not folded:
            return
        existing = [self.canonical[f] for f in folded if f in self.canonical]
        canon = existing[0] if existing else folded[0]
        members = set(folded)
        for other in set(existing):
            members |= self.groups.pop(other, set())
        self.groups[canon] = self.groups.get(canon, set()) | members
        for m in self.groups[canon]:
            self.canonical[m] = canon
        self._forget()

    def _forget(self) -> None:
        """Drop what was compiled or answered from the names as they were."""
        for name in ("agent_re", "code_prefixes", "_drug_word_re"):
            self.__dict__.pop(name, None)
        self._agents_seen.clear()

    def aliases(self, name: str) -> set[str]:
        f = fold(name)
        canon = self.canonical.get(f)
        if canon:
            return set(self.groups[canon])
        stem = self.stem_aliases.get(f)
        if stem:
            return {a for a, n in self.stem_aliases.items() if n == stem}
        return {f}

    @cached_property
    def _suffix_re(self) -> re.Pattern[str]:
        alt = "|".join(rf"\w{{3,}}{re.escape(s)}" for s in self.suffixes) or r"(?!x)x"
        return re.compile(rf"(?:{alt})", re.IGNORECASE)

    def is_drug_word(self, word: str) -> bool:
        """A word ending in one of the lexicon's drug-name stems, 3 or more letters before."""
        return bool(self._suffix_re.fullmatch(word))

    @cached_property
    def _suffix_tuple(self) -> tuple[str, ...]:
        return tuple(x.lower() for x in self.suffixes)

    def drug_words(self, words: list[str]) -> list[str]:
        """The drug-like words of `words`. A C-level suffix test first, the exact pattern only
        on its hits: a source has thousands of long words, and 500 sources made per-word
        regex calls the largest cost of a check."""
        ends = self._suffix_tuple
        if not ends:
            return []
        return [w for w in words if w.lower().endswith(ends) and self.is_drug_word(w)]

    @cached_property
    def agent_re(self) -> re.Pattern[str]:
        names = sorted(set(self.canonical) | self.corpus_agents, key=len, reverse=True)
        alt = "|".join(re.escape(n) for n in names) or r"(?!x)x"
        return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-]|-\w)", re.IGNORECASE)

    @cached_property
    def code_prefixes(self) -> frozenset[str]:
        """The letter prefixes of the compound codes the lexicon and the sources name as
        agents ("vlx" of "VLX-12"): a series' other codes are agents too."""
        names = set(self.canonical) | self.corpus_agents
        return frozenset(m.group(1) for n in names if (m := _FOLDED_CODE_RE.fullmatch(n)))

    def is_drug_code(self, name: str) -> bool:
        """Whether a compound-like code (folded) is a drug: named as an agent by the lexicon
        or the sources, or of a series that is. Genes, proteins, mutations, cell lines and
        trial registrations look the same and are not."""
        if name in self.canonical or name in self.corpus_agents:
            return True
        m = _FOLDED_CODE_RE.fullmatch(name)
        return m is not None and m.group(1) in self.code_prefixes

    def agents_in(self, text: str, unknown: bool = False) -> list[tuple[int, int, str]]:
        """Agent mentions (start, end, canonical name) in `text`, longest names first: the
        lexicon's and those learned from the sources; with `unknown`, also drug names no
        source teaches (a word ending in a drug-name stem) and the parts of combinations
        ("X-Y", "X/Y", "X plus Y"). A claim is read with `unknown`, so that a drug its
        sources never name is found; number binding is not, so it reads as before.

        Asked of every sentence by several rules; answered once per text, and from the
        project's store when the lexicon (`fingerprint`) and the text are the same as before."""
        memo_key = f"+{text}" if unknown else text
        found = self._agents_seen.get(memo_key)
        if found is None:
            if self.fingerprint and self.store is not None:
                from .cache import key

                found = self.store.memo("agents").get(
                    key(self.fingerprint, "+" if unknown else "", text),
                    lambda: self._agents_now(text, unknown),
                    _Mentions,
                )
            else:
                found = self._agents_now(text, unknown)
            if len(self._agents_seen) > 50_000:  # a long editor session: stay bounded
                self._agents_seen.clear()
            self._agents_seen[memo_key] = found  # type: ignore[assignment]
        return list(found)  # type: ignore[arg-type]

    def _agents_now(self, text: str, unknown: bool = False) -> list[tuple[int, int, str]]:
        t = text.replace("\u2013", "-").replace("®", " ")
        found: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for m in self.agent_re.finditer(t):
            found.append((m.start(), m.end(), self.canonical.get(fold(m.group()), fold(m.group()))))
            taken.append((m.start(), m.end()))
        for m in CODE_RE.finditer(t):
            if fold(m.group()) in self.not_agents:
                continue
            if any(a <= m.start() < b for a, b in taken):
                continue
            name = fold(m.group())
            if not self.is_drug_code(name):
                continue  # a gene, protein, cell line or trial number until marked a drug
            found.append((m.start(), m.end(), self.canonical.get(name, name)))
            taken.append((m.start(), m.end()))
        if not unknown:
            found.sort()
            return found
        for m in self._drug_word_re.finditer(t):  # a drug name no source taught us
            name = fold(m.group())
            if name in self.not_agents or any(a <= m.start() < b for a, b in taken):
                continue
            found.append((m.start(), m.end(), self.canonical.get(name, name)))
            taken.append((m.start(), m.end()))
        if self.stem_aliases:  # "ALB", defined by a source as albendazole's abbreviation
            for m in _WORD_RE.finditer(t):
                stem = self.stem_aliases.get(fold(m.group()))
                if stem and not any(a <= m.start() < b for a, b in taken):
                    found.append((m.start(), m.end(), stem))
                    taken.append((m.start(), m.end()))
        for m in COMBINATION_RE.finditer(t):  # "X-Y", "X/Y", "X + Y", "X plus Y"
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            parts = [(p.start(), p.end()) for p in _PART_RE.finditer(t, m.start(), m.end())]
            known = [self._agent_name(t[a:b]) for a, b in parts]
            names = [
                k or self.defined.get(fold(t[a:b])) for k, (a, b) in zip(known, parts, strict=True)
            ]
            if len(parts) >= 2 and any(known) and all(names):
                found.extend((a, b, n) for (a, b), n in zip(parts, names, strict=True) if n)
        found.sort()
        return found

    @cached_property
    def _drug_word_re(self) -> re.Pattern[str]:
        """A whole word (not part of a hyphenated one) ending in a drug-name stem."""
        stems = {*self.suffixes, *inn_stems()}
        alt = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])[a-z]{{3,}}(?:{alt or '(?!x)x'})(?![\w-])", re.IGNORECASE)

    def _agent_name(self, word: str) -> str | None:
        """The canonical name of `word` as an agent (known, learned or drug-like), or None."""
        name = fold(word)
        if name in self.not_agents:
            return None
        if name in self.canonical:
            return self.canonical[name]
        if name in self.stem_aliases:
            return self.stem_aliases[name]
        if name in self.corpus_agents or self.is_drug_code(name):
            return name
        return name if self._drug_word_re.fullmatch(word) else None

    def learned_state(self) -> LearnedState:
        """The alias groups and corpus agents (all names are folded strings)."""
        return LearnedState(
            {c: sorted(m) for c, m in sorted(self.groups.items())},
            sorted(self.corpus_agents),
            dict(sorted(self.stem_aliases.items())),
            dict(sorted(self.defined.items())),
        )

    def restore(self, state: LearnedState) -> None:
        """Take the groups and corpus agents of a `learned_state`."""
        self.groups = {c: set(m) for c, m in state.groups.items()}
        self.canonical = {m: c for c, ms in self.groups.items() for m in ms}
        self.corpus_agents = set(state.corpus)
        self.stem_aliases = dict(state.stem_aliases)
        self.defined = dict(state.defined)
        self._forget()

    @property
    def has_vocabulary(self) -> bool:
        """Whether any agent is known beyond drug-name stems: from a lexicon or the sources."""
        return bool(self.canonical or self.corpus_agents or self.stem_aliases)

    def learn(self, scans: list[Scan]) -> None:
        """Learn alias pairs and drug-like names from what `scan` found in each source.

        Words are pooled first: sources share most of their vocabulary, so each distinct word
        is tested once however many sources there are."""
        words: set[str] = set()
        for found in scans:
            for long, aliases in found.pairs:
                if self.is_drug_word(long) or fold(long) in self.canonical:
                    self.add_group([long, *aliases])
                    self.corpus_agents.add(fold(long))
                elif self._drug_word_re.fullmatch(long):
                    self.stem_aliases.update({fold(a): fold(long) for a in aliases})
                    self.stem_aliases[fold(long)] = fold(long)
                elif len(long) >= 5 and long.isalpha() and long.islower():
                    self.defined.update({fold(a): fold(long) for a in aliases if a.isupper()})
            words.update(found.words)
            for name in found.called:  # named a drug by a source: a claim must find it too
                self.stem_aliases.setdefault(fold(name), fold(name))
        self.corpus_agents.update(self.drug_words(sorted(words)))
        self._forget()


_Mentions = list[tuple[int, int, str]]


@dataclass
class LearnedState:
    """What a lexicon learned from the sources: alias groups and drug-like names (folded)."""

    groups: dict[str, list[str]]
    corpus: list[str]
    stem_aliases: dict[str, str] = field(default_factory=dict)
    defined: dict[str, str] = field(default_factory=dict)


@dataclass
class Scan:
    """What learning needs from one text, independent of the lexicon (so it can be kept):
    alias pair candidates and the long lower-case words."""

    pairs: list[tuple[str, list[str]]]
    words: list[str]
    #: names the text calls a drug ("the drug X", "X, an antiviral agent")
    called: list[str] = field(default_factory=list)


def scan(text: str) -> Scan:
    """The `Scan` of a text."""
    words = sorted({w for w in DRUG_WORD_RE.findall(text) if not w.endswith("-")})
    return Scan(alias_candidates(text), words, called_drugs(text))


#: "the drug X", "the agent X" ... and "X, a/an [...] drug/agent/inhibitor/..." in general
#: English: what a text calls a drug. Only lowercase single words are taken. "A drug X" is
#: not a naming ("an antiviral drug alone").
_CALLED_BEFORE_RE = re.compile(
    r"\bthe\s+(?:\w+\s+)?(?:drug|agent|compound|medication|medicine)\s+([a-z]{5,})\b"
)
_CALLED_AFTER_RE = re.compile(
    r"\b([a-z]{5,}),\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:drug|agent|compound|medication|medicine|inhibitor|antagonist|agonist)s?\b"
)
#: English word endings that no drug name has (they end nouns and verbs of ordinary prose).
_NOT_A_NAME = (
    "tion", "sion", "ment", "ness", "ity", "ing", "ed", "ous", "ive", "al", "ance", "ence",
    "ship", "ies", "ers", "ist", "ism", "ary", "ory", "ful", "less", "able", "ible", "ly",
)  # fmt: skip


def called_drugs(text: str) -> list[str]:
    """Single lowercase words the text calls a drug, agent or compound."""
    found = {m.group(1) for rx in (_CALLED_BEFORE_RE, _CALLED_AFTER_RE) for m in rx.finditer(text)}
    # "the drug requires ...": a verb or a plural is not a name
    return sorted(w for w in found if not w.endswith(_NOT_A_NAME) and not w.endswith("s"))


DRUG_WORD_RE = re.compile(r"\b[a-z][a-z-]{5,}\b")


def alias_candidates(text: str) -> list[tuple[str, list[str]]]:
    """ "name (ALIAS, CODE)" and "name [CODE/CODE]" pairs whose aliases look like codes or
    brands; the lexicon decides which names are agents. Linear: brackets first, then the
    word before each."""
    out = []
    for m in BRACKETED_RE.finditer(text):
        aliases = []
        for p in re.split(r";|, (?=\S)|/", m.group(1)):
            words = p.replace("®", "").split()
            if not words or len(words) > 3:
                continue
            first = words[0]
            if first.endswith("."):
                continue  # "Fig.", "Ref.", "Suppl.": a pointer, not a name
            if not CODE_RE.fullmatch(first) and any(DESIGNATOR_RE.match(w) for w in words[1:]):
                continue  # "Figure 3A", "Table S4", "Supplementary Figure 1f": a pointer
            if CODE_RE.fullmatch(first) or (first[:1].isupper() and len(first) > 2):
                aliases.append(first)
        if not aliases:
            continue
        before = LONG_BEFORE_RE.search(text, max(0, m.start() - 80), m.start())
        if before:
            out.append((before.group(1).strip("(),'-"), aliases))
    return out


#: what numbers a figure, table or box: "3A", "S4", "e2"
DESIGNATOR_RE = re.compile(r"[A-Za-z]?\d")
BRACKETED_RE = re.compile(r"[(\[]([^()\[\]]{1,80})[)\]]")
LONG_BEFORE_RE = re.compile(r"([A-Za-z0-9(),'-]*[A-Za-z][A-Za-z0-9-]*)\s*\Z")


def _str_list(value: object, shown: str, line: int, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise InputError(shown, line, f"{what} must be a list of strings")
    return [str(v) for v in value]


def load_lexicon(path: Path | None, shown: str, store: Store | None = None) -> Lexicon:
    """Read the lexicon file; a missing setting gives an empty lexicon."""
    lex = Lexicon()
    if path is None:
        return lex
    data = load_yaml(path, shown, store)
    if data is None:
        return lex
    if not isinstance(data, LineDict):
        raise InputError(shown, 1, "lexicon must be a mapping")
    for key in data:
        if key not in KEYS:
            raise InputError(shown, data.line_of(key), f"unknown lexicon section '{key}'")
    agents = data.get("agents") or {}
    if not isinstance(agents, dict):
        raise InputError(shown, data.line_of("agents"), "agents must map names to alias lists")
    for name, aliases in agents.items():
        line = agents.line_of(name) if isinstance(agents, LineDict) else 0
        lex.add_group([str(name), *_str_list(aliases, shown, line, f"aliases of {name}")])
    lex.suffixes = _str_list(
        data.get("agent_suffixes"), shown, data.line_of("agent_suffixes"), "agent_suffixes"
    )
    lex.not_agents = {
        fold(x)
        for x in _str_list(data.get("not_agents"), shown, data.line_of("not_agents"), "not_agents")
    }
    classes = data.get("classes") or {}
    if not isinstance(classes, dict):
        raise InputError(shown, data.line_of("classes"), "classes must be a mapping")
    for name, spec in classes.items():
        line = classes.line_of(name) if isinstance(classes, LineDict) else 0
        if not isinstance(spec, dict):
            raise InputError(shown, line, f"class '{name}' must be a mapping")
        bad = set(spec) - {"terms", "modifiers", "heads"}
        if bad:
            raise InputError(shown, line, f"unknown key '{sorted(bad)[0]}' in class '{name}'")
        lex.classes[str(name)] = TermClass(
            str(name),
            [str(name), *_str_list(spec.get("terms"), shown, line, "terms")],
            _str_list(spec.get("modifiers"), shown, line, "modifiers"),
            _str_list(spec.get("heads"), shown, line, "heads"),
        )
    for section, target in (
        ("events", lex.events),
        ("agencies", lex.agencies),
        ("indications", lex.indications),
        ("qualifiers", lex.qualifiers),
    ):
        table = data.get(section) or {}
        if not isinstance(table, dict):
            raise InputError(shown, data.line_of(section), f"{section} must be a mapping")
        for name, words in table.items():
            line = table.line_of(name) if isinstance(table, LineDict) else 0
            target[str(name)] = _str_list(words, shown, line, f"{section}.{name}")
    return lex
