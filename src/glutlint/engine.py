"""The pipeline: load project -> parse manuscript -> run rules -> suppress -> sorted diagnostics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .claims import Claim, claims_of
from .config import Config
from .diagnostics import ERROR, WARNING, Diagnostic, Finding, sort_key
from .errors import InputError
from .evidence import Verdict, verdict_of
from .manuscript import Document
from .project import Project
from .rules import options as rule_options
from .source_kinds import is_complete


@dataclass
class Context:
    """What rules read. Expensive analyses are computed once, on first use."""

    project: Project
    documents: list[Document]
    full_manuscript: bool = True  # False when only some files are checked

    @property
    def config(self) -> Config:
        return self.project.config

    @cached_property
    def options(self) -> dict[str, object]:
        """Every rule's options: its defaults and the profile table, validated."""
        return rule_options(self.config)

    @cached_property
    def exempt_sections(self) -> set[str]:
        names = self.options["non_claim_sections"]
        return {str(n).lower() for n in names} if isinstance(names, list | tuple) else set()

    @cached_property
    def claims(self) -> list[Claim]:
        out: list[Claim] = []
        for doc in self.documents:
            out.extend(
                claims_of(doc, self.project.lexicon, self.exempt_sections, self.project.store)
            )
        return out

    @cached_property
    def verdicts(self) -> list[Verdict]:
        p = self.project
        return [verdict_of(c, p) for c in self.claims if c.cites]

    def partial_sources(self, claim: Claim) -> list[str]:
        """The claim's cited sources that cannot show a value is absent (abstracts, excerpts,
        news), unless the project holds claims to the texts it keeps (partial_sources =
        "strict"). A value or agent missing from a claim whose sources are all complete is
        an error; missing from a partial one, it is unverified."""
        if self.config.partial_sources == "strict":
            return []
        sources = self.project.sources
        return [k for k in claim.keys if k in sources and not is_complete(sources[k].kind)]


def selected(code: str, select: list[str], ignore: list[str]) -> bool:
    def hit(patterns: list[str]) -> bool:
        return any(p.upper() == "ALL" or code.startswith(p.upper()) for p in patterns)

    return (not select or hit(select)) and not hit(ignore)


def _suppress(
    diags: list[Diagnostic], documents: list[Document], report_unused: bool
) -> list[Diagnostic]:
    """Drop diagnostics that suppression comments cover; report comments that cover nothing."""
    by_path = {d.shown: d for d in documents}
    lines_of: dict[str, list[str]] = {}  # each file's lines, split once
    kept: list[Diagnostic] = []
    used: set[tuple[str, int, int]] = set()
    for diag in diags:
        doc = by_path.get(diag.path)
        hit = None
        if doc is not None and doc.suppressions:
            if doc.shown not in lines_of:
                lines_of[doc.shown] = doc.text.split("\n")
            hit = _covering(doc, diag, lines_of[doc.shown])
        if hit is None:
            kept.append(diag)
        else:
            used.add((diag.path, hit.line, hit.column))
    if report_unused:
        for doc in documents:
            lines = doc.text.split("\n")
            for s in doc.suppressions:
                if s.action == "enable" or (doc.shown, s.line, s.column) in used:
                    continue
                what = " ".join(s.codes) or "all codes"
                kept.append(
                    Diagnostic(
                        doc.shown,
                        s.line,
                        s.column,
                        s.line,
                        len(lines[s.line - 1]) + 1,
                        "GL001",
                        WARNING,
                        f"suppression of {what} suppresses nothing",
                    )
                )
    return kept


def _covering(doc: Document, diag: Diagnostic, lines: list[str]):
    active: dict[str, object] = {}
    for s in sorted(doc.suppressions, key=lambda s: (s.line, s.column)):
        applies = not s.codes or diag.code in s.codes
        if s.action == "disable-line" and s.line <= diag.line <= s.end_line and applies:
            return s
        if s.action == "disable-next-line" and applies:
            nxt = s.end_line + 1
            while nxt <= len(lines) and not lines[nxt - 1].strip():
                nxt += 1
            if diag.line == nxt:
                return s
        if s.line > diag.line:
            continue
        if s.action == "disable":
            for c in s.codes or ("*",):
                active[c] = s
        elif s.action == "enable":
            if s.codes:
                for c in s.codes:
                    active.pop(c, None)
            else:
                active.clear()
    return active.get(diag.code) or active.get("*")


def run_rules(
    ctx: Context, select: list[str] | None = None, ignore: list[str] | None = None
) -> list[Diagnostic]:
    from .rules import REGISTRY

    select = ctx.config.select if select is None else select
    ignore = ctx.config.ignore if ignore is None else ignore
    diags: list[Diagnostic] = []
    for code, rule in REGISTRY.items():
        if code == "GL001" or not selected(code, select, ignore):
            continue
        if getattr(rule, "NEEDS_FULL_MANUSCRIPT", False) and not ctx.full_manuscript:
            continue
        for f in rule.check(ctx):
            diags.append(_stamp(f, code, rule.SEVERITY))
    diags = _suppress(diags, ctx.documents, selected("GL001", select, ignore))
    return sorted(set(diags), key=sort_key)


def _stamp(f: Finding, code: str, severity: str) -> Diagnostic:
    return Diagnostic(
        f.path,
        f.line,
        f.column,
        f.end_line or f.line,
        f.end_column or f.column + 1,
        code,
        severity,
        f.message,
    )


def check_files(
    project: Project,
    files: Iterable[Path] | None = None,
    texts: dict[Path, str] | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
) -> list[Diagnostic]:
    """Check `files` (default: the configured manuscript) with a loaded project."""
    paths = list(files) if files is not None else list(project.config.manuscript)
    full = files is None or {p.resolve() for p in paths} == {
        p.resolve() for p in project.config.manuscript
    }
    docs = project.parse(paths, texts)
    return run_rules(Context(project, docs, full), select, ignore)


def run_check(config: Config) -> list[Diagnostic]:
    """Load the project and check its whole manuscript (used by `build`)."""
    return check_files(Project.load(config))


def has_errors(diags: Iterable[Diagnostic]) -> bool:
    return any(d.severity == ERROR for d in diags)


__all__ = ["Context", "InputError", "check_files", "run_check", "has_errors", "field"]
