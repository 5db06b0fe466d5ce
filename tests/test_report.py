"""`glutlint report`: the evidence page, built by the real CLI from real inputs and read back.

The page is parsed with the standard library's HTML parser and compared with `trail.records`,
the same data `glutlint trace` prints; then a real headless Chromium opens it from a file://
URL, so "readable in any browser" is tested in one, not assumed.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, one_file_review, run_cli
from glutlint.config import load_config
from glutlint.engine import Context, run_rules
from glutlint.project import Project
from glutlint.trail import ClaimRecord, records

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
BROWSER_TIMEOUT = 120


# ----------------------------------------------------------------------------------------------
# A small DOM from html.parser
# ----------------------------------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    b = _Builder()
    b.feed(page)
    b.close()
    return b.root


def squash(text: str) -> str:
    """Text without whitespace: the page tidies the gaps citations leave, nothing else."""
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------------------------
# The flagship manuscript
# ----------------------------------------------------------------------------------------------


def flagship_config():
    """The repository's own project, read without its cache: tests never share it."""
    config = load_config(ROOT)
    config.cache = False
    return config


def flagship_records() -> list[ClaimRecord]:
    project = Project.load(flagship_config())
    ctx = Context(project, project.parse(list(project.config.manuscript)))
    return records(ctx, run_rules(ctx))


@pytest.fixture(scope="module")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, float]:
    out = tmp_path_factory.mktemp("report") / "evidence.html"
    started = time.perf_counter()
    r = run_cli(["report", "--no-cache", "-o", str(out)], ROOT)
    elapsed = time.perf_counter() - started
    assert r.code == 0, r.err
    assert "wrote" in r.err and r.out == ""
    return out, out.read_text(encoding="utf-8"), elapsed


def claim_articles(dom: Node) -> list[Node]:
    return dom.find_all("article", cls="claim")


def test_every_claim_is_on_the_page_with_its_verdict_and_passages(
    flagship: tuple[Path, str, float],
) -> None:
    _, page, _ = flagship
    dom = parse(page)
    recs = flagship_records()
    assert recs, "the flagship manuscript has claims"
    articles = claim_articles(dom)
    assert len(articles) == len(recs)
    for rec, art in zip(recs, articles, strict=True):  # manuscript order
        where = f"{rec.path}:{rec.line}:{rec.column}"
        assert (art.attrs["data-path"], art.attrs["data-line"], art.attrs["data-column"]) == (
            rec.path, str(rec.line), str(rec.column)
        ), where  # fmt: skip
        assert where in art.find("h3").text()
        assert squash(art.find("p", cls="sentence").text()) == squash(rec.sentence), where
        assert art.attrs["data-verdict"] == rec.verdict
        assert rec.verdict in art.find("span", cls="badge").text()
        # every value and agent is highlighted in the sentence
        marked = Counter(squash(m.text()) for m in art.find("p", cls="sentence").find_all("mark"))
        for item in rec.items:
            assert marked[squash(item.text)] > 0, f"{where}: {item.text!r} not highlighted"
        # every passage is shown, with its file and line, and value passages mark the value
        quotes = art.find_all("blockquote", cls="passage")
        # shown under the citation whose source states them, in the citations' order
        rank = {k: n for n, k in enumerate(rec.keys)}
        for i in rec.items:
            if i.passage is not None:
                rank.setdefault(i.passage.key, len(rank))
        with_passage = sorted(
            (i for i in rec.items if i.passage is not None),
            key=lambda i: rank[i.passage.key],  # type: ignore[union-attr]
        )
        assert len(quotes) == len(with_passage), where
        shown = " ".join(n.text() for n in art.find_all("span", cls="where"))
        for item, quote in zip(with_passage, quotes, strict=True):
            p = item.passage
            assert p is not None
            assert squash(quote.text()) == squash(p.snippet), where
            assert f"{p.path}:{p.line}" in shown
            if p.value:
                assert squash(p.value) in [squash(m.text()) for m in quote.find_all("mark")]
        # each cited key heads a group of its evidence
        heads = [n.text() for n in art.find_all("p", cls="source-head")]
        for key in rec.keys:
            assert any(h.startswith(key) for h in heads), f"{where}: no evidence from {key}"


def test_counts_and_source_table_match_the_records(flagship: tuple[Path, str, float]) -> None:
    _, page, _ = flagship
    dom = parse(page)
    recs = flagship_records()
    verdicts = Counter(r.verdict for r in recs)

    def count(name: str) -> int:
        return int(dom.find("dd", data_count=name).text())

    assert count("claims") == len(recs)
    for verdict in ("verified", "flagged", "unverified", "uncited"):
        assert count(verdict) == verdicts.get(verdict, 0), verdict
    project = Project.load(flagship_config())
    table = dom.find("section", id="sources").find("tbody")
    rows = table.find_all("tr")
    assert len(rows) == len(project.entries)
    for key, entry in project.entries.items():
        cell = table.find("td", data_claims=key)
        assert int(cell.text()) == sum(key in r.keys for r in recs), key
        row = next(r for r in rows if r.find("th").text().startswith(key))
        text = row.text()
        assert str(entry.year) in text
        src = project.sources.get(key)
        if src is not None and src.kind:
            assert src.kind in text
    assert {"full text", "abstract", "news"} <= {s.kind for s in project.sources.values()}
    by_rule = Counter(d.code for r in recs for d in r.diagnostics)
    for code, n in by_rule.items():
        assert int(dom.find("td", data_code=code).text()) >= n


def test_page_is_self_contained_accessible_and_fast(flagship: tuple[Path, str, float]) -> None:
    _, page, elapsed = flagship
    dom = parse(page)
    assert not dom.find_all("script")
    assert "<script" not in page.lower()
    for node in dom.iter():
        assert "src" not in node.attrs, node.tag
        for name in ("href", "action", "srcset", "poster", "data"):
            if name in node.attrs:
                assert node.attrs[name].startswith("#"), (node.tag, node.attrs[name])
    style = "".join(n.text() for n in dom.find_all("style"))
    assert style and "url(" not in style and "@import" not in style
    assert not dom.find_all("link")
    ids = {n.attrs["id"] for n in dom.iter() if "id" in n.attrs}
    for node in dom.find_all("a"):
        assert node.attrs["href"][1:] in ids, node.attrs["href"]
    html = dom.find("html")
    assert html.attrs.get("lang") == "en"
    assert dom.find("meta").attrs.get("charset") == "utf-8"
    for landmark in ("header", "nav", "main", "footer"):
        assert len(dom.find_all(landmark)) == 1, landmark
    assert dom.find("nav").attrs.get("aria-label")
    skip = dom.find("body").find("a")
    assert skip.attrs["href"] == "#main" and "skip" in skip.text().lower()
    assert dom.find("main").attrs.get("id") == "main"
    assert len(dom.find_all("h1")) == 1
    h2 = [n.text() for n in dom.find_all("h2")]
    assert h2 == ["Summary", "Sources", "Claims", "Other findings"]
    assert len(dom.find_all("h3")) == len(claim_articles(dom))
    for table in dom.find_all("table"):
        for th in table.find_all("th"):
            assert th.attrs.get("scope") in {"col", "row"}
    # the verdict is said in words and an icon, never by colour alone
    for badge in dom.find_all("span", cls="badge"):
        if badge.classes & {"verified", "flagged", "unverified", "uncited"}:
            words = badge.text().strip()
            assert re.fullmatch(
                r"[\u2714\u2716?\u25cb] (verified|flagged|unverified|uncited)", words
            )
    assert "@media print" in style and "break-inside: avoid" in style


# Every text colour pair the stylesheet uses, by custom property (foreground, background).
CONTRAST_PAIRS = [
    ("ink", "paper"), ("ink", "page"), ("ink", "quote-bg"), ("ink", "mark-bg"),
    ("ink", "mark-bad-bg"), ("ink", "finding-bg"), ("muted", "paper"), ("muted", "page"),
    ("muted", "quote-bg"), ("muted", "finding-bg"), ("accent", "paper"), ("accent", "page"),
    ("ok-ink", "ok-bg"), ("ok-ink", "paper"), ("bad-ink", "bad-bg"), ("bad-ink", "paper"),
    ("bad-ink", "finding-bg"), ("bad-ink", "mark-bad-bg"), ("unk-ink", "unk-bg"),
    ("unk-ink", "paper"), ("none-ink", "none-bg"),
]  # fmt: skip


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_text_colours_meet_wcag_aa(flagship: tuple[Path, str, float]) -> None:
    _, page, _ = flagship
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", page))
    for fg, bg in CONTRAST_PAIRS:
        hi, lo = sorted((_luminance(colours[fg]), _luminance(colours[bg])), reverse=True)
        ratio = (hi + 0.05) / (lo + 0.05)
        assert ratio >= 4.5, f"--{fg} on --{bg}: {ratio:.2f}:1"


# ----------------------------------------------------------------------------------------------
# A project with flagged claims
# ----------------------------------------------------------------------------------------------

FLAGGED_MANUSCRIPT = """
---
title: "Hostile <script>alert(1)</script> title & co"
---

# Introduction

A 2008 review put the lifetime risk of any mood disorder in the United States at 20.8%
[@sanacora2008]. The same review put the lifetime risk of any mood disorder in the United
States at 42.5% [@sanacora2008].
Ketamine <script>alert(1)</script> acts within 2 hours [@sanacora2008].
No glutamate modulator has been approved for depression [@pedersen2017].
See the discussion [@nosuchkey]. TODO write more.
"""


def report(seeded, *args: str) -> tuple[Node, str]:
    out = seeded.root / "out" / "evidence.html"
    r = run_cli(["report", "-o", str(out), *args], seeded.root)
    assert r.code == 0, r.err
    page = out.read_text(encoding="utf-8")
    return parse(page), page


def test_flagged_claim_shows_rule_message_and_comes_first_on_request(seeded) -> None:
    seeded.write("manuscript/01-intro.md", FLAGGED_MANUSCRIPT)
    dom, _ = report(seeded)
    arts = claim_articles(dom)
    assert [a.attrs["data-verdict"] for a in arts][:2] == ["verified", "flagged"]
    flagged = arts[1]
    assert "\u2716 flagged" in flagged.find("span", cls="badge").text()
    finding = flagged.find("ul", cls="findings").text()
    assert "GL201" in finding and "42.5% not in sanacora2008" in finding
    bad = flagged.find("p", cls="sentence").find("mark", cls="bad")
    assert bad.text() == "42.5%"
    item = flagged.find("li", data_status="missing")
    assert "not found" in item.text() and "20.8%" in item.find("blockquote").text()
    # pandoc ends the paragraph at "Ketamine": the <script> line is a raw HTML block, so the
    # reader sees "Ketamine" alone, a claim without a citation of its own (claim 3)
    assert int(dom.find("dd", data_count="flagged").text()) == 2
    assert "GL102" in arts[2].find("ul", cls="findings").text()
    assert arts[2].find("p", cls="sentence").text().strip() == "Ketamine"
    assert int(dom.find("td", data_code="GL201").text()) == 1
    summary = dom.find("section", id="summary")
    assert summary.find("a", href="#claim-2")

    dom, _ = report(seeded, "--flagged-first")
    arts = claim_articles(dom)
    assert [a.attrs["data-verdict"] for a in arts] == ["flagged", "flagged", "verified", "verified"]
    # numbers stay those of manuscript order
    assert [a.attrs["id"] for a in arts] == ["claim-2", "claim-3", "claim-1", "claim-4"]


def test_findings_outside_claims_and_superseded_statements(seeded) -> None:
    seeded.write("manuscript/01-intro.md", FLAGGED_MANUSCRIPT)
    dom, _ = report(seeded)
    other = dom.find("section", id="other")
    text = other.text()
    assert "GL101" in text and "nosuchkey" in text
    assert "GL605" in text and "TODO" in text
    assert "manuscript/01-intro.md:11:" in text
    overtaken = other.find("div", cls="overtaken")
    later = [li.text() for li in overtaken.find_all("li")]
    assert later and any("esketamine" in x and "2019" in x for x in later)
    assert int(dom.find("dd", data_count="other").text()) == len(other.find_all("tr")) - 1


def test_manuscript_text_is_escaped(seeded) -> None:
    seeded.write("manuscript/01-intro.md", FLAGGED_MANUSCRIPT)
    dom, page = report(seeded)
    assert not dom.find_all("script")
    assert "<script" not in page.lower()
    assert dom.find("h1").text() == "Hostile <script>alert(1)</script> title & co"
    assert "Hostile &lt;script&gt;alert(1)&lt;/script&gt; title &amp; co" in page


def test_write_errors_are_one_line_and_leave_nothing_behind(seeded) -> None:
    seeded.write("manuscript/01-intro.md", FLAGGED_MANUSCRIPT)
    out = seeded.root / "out" / "evidence.html"
    assert run_cli(["report", "-o", str(out)], seeded.root).code == 0
    before = out.read_bytes()

    blocker = seeded.root / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    r = run_cli(["report", "-o", str(blocker / "evidence.html")], seeded.root)
    assert r.code == 2 and r.err.count("\n") == 1 and "cannot write the report" in r.err

    r = run_cli(["report", "-o", str(out.parent)], seeded.root)
    assert r.code == 2 and r.err.count("\n") == 1 and "is a folder" in r.err

    # a broken input leaves the previous report as it was
    (seeded.root / "seeds" / "sources.yaml").write_text("nokey: [\n", encoding="utf-8")
    r = run_cli(["report", "-o", str(out)], seeded.root)
    assert r.code == 2 and r.err.count("\n") == 1
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["evidence.html"]


def test_default_destination_is_the_build_folder(seeded) -> None:
    seeded.write("manuscript/01-intro.md", FLAGGED_MANUSCRIPT)
    r = run_cli(["report"], seeded.root)
    assert r.code == 0, r.err
    assert (seeded.root / "build" / "evidence.html").is_file()
    assert "build/evidence.html" in r.err


# ----------------------------------------------------------------------------------------------
# A real browser
# ----------------------------------------------------------------------------------------------


def browser() -> str:
    """The Chromium to use; fails in CI (where it must be installed), skips elsewhere."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    message = "no headless Chromium on PATH (Debian: apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must render the evidence report in a browser")
    pytest.skip(message)


def chromium(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOME=str(profile), XDG_CONFIG_HOME=str(profile / "config"),
               XDG_CACHE_HOME=str(profile / "cache"))  # fmt: skip
    cmd = [
        exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", f"--user-data-dir={profile / 'data'}", *args,
    ]  # fmt: skip
    try:
        return subprocess.run(
            cmd, capture_output=True, text=True, timeout=BROWSER_TIMEOUT, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish within {BROWSER_TIMEOUT} s: {' '.join(args)}")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered RGB(A) rows of an 8-bit PNG, with zlib and struct only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw, stride, rows = zlib.decompress(idat), width * bpp, []
    prev, at = bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1 : at + 1 + stride])
        at += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i] for i in range(len(r)) if i % bpp < 3) for r in rows]


def test_chromium_renders_the_report_from_a_file_url(
    flagship: tuple[Path, str, float], tmp_path: Path
) -> None:
    exe = browser()
    page_path, _, _ = flagship
    url = page_path.resolve().as_uri()
    assert url.startswith("file://")

    r = chromium(exe, tmp_path / "dom", "--dump-dom", url)
    assert r.returncode == 0, r.stderr[-2000:]
    dom = parse(r.stdout)
    recs = flagship_records()
    articles = claim_articles(dom)
    assert len(articles) == len(recs) > 0
    for rec, art in zip(recs, articles, strict=True):
        assert squash(art.find("p", cls="sentence").text()) == squash(rec.sentence)
    assert not dom.find_all("script")

    shot = tmp_path / "shot.png"
    r = chromium(exe, tmp_path / "shot", f"--screenshot={shot}", "--window-size=1200,2000", url)
    assert r.returncode == 0 and shot.is_file(), r.stderr[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 2000)
    colours = Counter(
        rows[y][x : x + 3] for y in range(0, height, 4) for x in range(0, width * 3, 12)
    )
    assert len(colours) > 20, "the screenshot is (nearly) blank"
    background_share = colours.most_common(1)[0][1] / sum(colours.values())
    assert background_share < 0.95, f"{background_share:.0%} of the screenshot is one colour"
    inked = sum(1 for row in rows if len(set(row[i : i + 3] for i in range(0, len(row), 3))) > 1)
    assert inked > height // 4, "too few rows carry anything but background"


HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}", "{% raw %}"]


def test_hostile_text_is_escaped_and_template_syntax_is_not_run(tmp_path: Path) -> None:
    """Text from the manuscript, the bibliography and a source reaches the page as text: the
    template escapes it, and template syntax in it is shown, never evaluated."""
    bad = " ".join(HOSTILE)
    one_file_review(tmp_path)
    (tmp_path / "src.txt").write_text(f"In 2019, 41% responded. {bad}\n", encoding="utf-8")
    title = bad.replace("{", "\\{").replace("}", "\\}").replace("%", "\\%")
    (tmp_path / "refs.bib").write_text(
        f"@article{{k,\n  title = {{{title}}},\n  year = {{2019}},\n  file = {{src.txt}}\n}}\n",
        encoding="utf-8",
    )
    (tmp_path / "ms.md").write_text(
        "# Results\n\nIn 2019, 41% responded {{ 7 + 7 }} {% raw %} [@k].\n", encoding="utf-8"
    )
    r = run_cli(["report", "--no-cache"], tmp_path)
    assert r.code in (0, 1), r.err
    page = (tmp_path / "build" / "evidence.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # passage and title
    text = re.sub(r"<[^>]+>", "", page)
    assert "responded {{ 7 + 7 }} {% raw %}" in text  # the claim, shown as written
    assert ">14<" not in page and " 14 " not in page and ">49<" not in page
