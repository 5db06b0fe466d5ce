"""`glutlint stats`: words per section, the abstract against its limit, claims per source."""

from __future__ import annotations

import argparse
from collections import Counter


def configure(p: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..engine import Context
    from ..project import Project
    from ..rules.gl602_abstract_length import count_words

    project = Project.load(load_config())
    ctx = Context(project, project.parse(project.config.manuscript))
    words: Counter[str] = Counter()
    order: list[str] = []
    abstract = []
    for doc in ctx.documents:
        for s in doc.sentences:
            if s.block.kind == "abstract":
                abstract.append(s)
                continue
            if s.block.kind == "heading":
                continue
            section = s.block.section or "(before the first heading)"
            if section not in order:
                order.append(section)
            words[section] += count_words([s])
    limit = ctx.options["abstract_words"]
    print(f"abstract: {count_words(abstract)} words (limit {limit})")
    print("words per section:")
    for name in order:
        print(f"  {words[name]:6d}  {name}")
    exempt = ctx.exempt_sections | {"key points", "(before the first heading)"}
    body = sum(n for name, n in words.items() if name.lower() not in exempt)
    print(f"  {body:6d}  body (without key points, declarations and references)")
    claims = ctx.claims
    cited = [c for c in claims if c.cites]
    print(f"claims: {len(claims)}, cited: {len(cited)}")
    per_source: Counter[str] = Counter(k for c in claims for k in c.keys)
    cites: Counter[str] = Counter(c.key for d in ctx.documents for c in d.cites)
    print("per source:        claims  citations")
    for key in project.entries:
        print(f"  {key:<16} {per_source[key]:6d}  {cites[key]:9d}")
    project.store.flush()
    return 0
