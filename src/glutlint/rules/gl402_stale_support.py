"""GL402 stale-support: a current-status claim rests only on a source that a newer one covers.

What it does
    A sentence that speaks of the present ("currently", "to date", "remains", "not yet",
    "so far") about an agent or class is checked against the corpus: when every source it
    cites is older than another source in the bibliography that also covers that subject,
    it warns and names the newer source.

Why
    "To date" means the date of the cited source, not today's. When the project already holds
    a newer source on the same subject, the claim should cite it or be placed in its time.

Example
    Warns:  To date, velostatin has lowered LDL cholesterol [@halden2015].
            (orsini2022, 2022, also covers velostatin)
    Passes: As of 2015, velostatin had lowered LDL cholesterol [@halden2015].
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import WARNING, Finding
from ..ledger import ANCHOR_RE, CURRENT_RE, subject_spans

CODE = "GL402"
NAME = "stale-support"
SEVERITY = WARNING


def check(ctx) -> Iterator[Finding]:
    p = ctx.project
    lexicon = p.lexicon
    for claim in ctx.claims:
        s = claim.sentence
        cue = CURRENT_RE.search(s.text)
        if not cue or not claim.keys or ANCHOR_RE.search(s.text):
            continue
        years = [p.entries[k].year for k in claim.keys if k in p.entries]
        if not years or None in years:
            continue
        newest_cited = max(y for y in years if y is not None)
        subjects: dict[str, set[str]] = {}
        for _, _, name in claim.agents:
            subjects[name] = lexicon.aliases(name)
        classes = [c for c in lexicon.classes if subject_spans(lexicon, c, s.text)]
        newer = []
        for key, idx in p.indexes.items():
            year = idx.entry.year
            if key in claim.keys or year is None or year <= newest_cited:
                continue
            hits = [n for n, names in subjects.items() if idx.mentions(names) is not None]
            hits += [c for c in classes if subject_spans(lexicon, c, idx.source.text)]
            if hits:
                newer.append((year, key, hits[0]))
        if newer:
            year, key, subject = max(newer)
            line, col = s.pos(cue.start())
            yield Finding(
                claim.path,
                line,
                col,
                f"'{cue.group()}' rests on a {newest_cited} source; {key} ({year}) also covers "
                f"{subject}: cite it or place the claim in its time",
                *s.pos(cue.end()),
            )
