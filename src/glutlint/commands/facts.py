"""`glutlint facts`: the ledger, whether each quote verifies, and what superseded what."""

from __future__ import annotations

import argparse


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    import json

    from ..config import load_config
    from ..project import Project
    from ..rules.gl502_ledger_quote import find_quote

    project = Project.load(load_config())
    ledger = project.ledger
    rows = []
    for f in ledger.facts:
        src = project.sources.get(f.source)
        m = find_quote(f.quote, src.text) if src else None
        where = f"{project.config.rel(src.path)}:{src.place_at(m.start())}" if (src and m) else ""
        rows.append(
            {
                "id": f.id,
                "source": f.source,
                "subject": f.subject,
                "event": f.event,
                "agency": f.agency,
                "indication": f.indication,
                "date": f.date,
                "as_of": f.as_of,
                "superseded_by": f.superseded_by,
                "verified": m is not None,
                "found_at": where,
                "quote": f.quote,
            }
        )
    project.store.flush()
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0 if all(r["verified"] for r in rows) else 1
    if not rows:
        print("the facts ledger is empty or not configured")
        return 0
    for r in rows:
        mark = "verified" if r["verified"] else "QUOTE NOT FOUND"
        when = r["date"] or f"as of {r['as_of']}"
        print(f"{r['id']}  [{r['source']}]  {when}  {mark}  {r['found_at']}")
        print(
            f"    {r['subject']}: {r['event']}"
            + (f" ({r['agency']})" if r["agency"] else "")
            + (f" for {r['indication']}" if r["indication"] else "")
        )
    print("\ntimeline")
    dated = sorted(ledger.facts, key=lambda f: f.date or f.as_of)
    for f in dated:
        label = f.label or f.describe()
        line = f"  {f.date or f.as_of}  {label}"
        if f.superseded_by:
            later = [ledger.get(i) for i in f.superseded_by]
            line += "  -> superseded by " + ", ".join(f"{g.id} ({g.date})" for g in later if g)
        print(line)
    return 0 if all(r["verified"] for r in rows) else 1
