"""What a printed PDF shows: every text line's box on every page (``pdftotext -bbox-layout``),
and the lines that overprint one another.

Also a round whose branches carry real-length names (20 to 23 characters), run as the demo runs
one: forms filled with plausible scores and notes, one branch vetoed, one pending for want of an
inspector's form, two handbooks returned.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from xml.etree import ElementTree

import openpyxl

from sheetops.app.collect import collect_round
from sheetops.app.demo import sample_roster_path, simulate_returns
from sheetops.app.generate import generate_scoresheets
from sheetops.app.init import init_round
from sheetops.model.workspace import Round, open_round

from .handbooks import fill_handbook

XHTML: Final = "{http://www.w3.org/1999/xhtml}"
# Lines of one cell follow each other at about 11.5 pt with boxes about 11 pt tall; two boxes
# that share more than this share of the smaller one's height (and some width) overprint.
OVERLAP_SHARE: Final = 0.3
OVERLAP_WIDTH: Final = 1.0  # points
# pdftotext joins the words of neighbouring columns into one line even when their baselines
# differ (a section's name beside an item's text): a line splits into runs, each checked on its
# own, where its words' tops differ by more than RUN_SHIFT or they lie more than RUN_GAP apart
# (a space between words is about 3 pt).
RUN_SHIFT: Final = 1.0  # points
RUN_GAP: Final = 4.5  # points

# Real branch names, 20 to 23 characters: what the leaders' first page has to hold.
LONG_NAMES: Final = (
    "新能源开发有限责任公司办公室第二党支部一",
    "省电力集团新能源开发有限责任公司机关第一党支部",
    "交通运输投资集团有限公司工程建设管理第三党支部",
    "市政设计研究院有限责任公司综合管理部党支部",
    "省农业科学院作物研究所离退休干部第一党支部",
    "城市轨道交通运营有限公司车辆检修中心党支部",
    "国有资产经营管理有限公司财务审计部联合党支部",
    "省水利水电勘测设计研究院有限公司第二党支部",
    "高新技术产业开发区管理委员会机关第四党支部",
    "物资储备贸易有限责任公司仓储物流中心党支部",
    "省属国有企业后勤服务保障中心综合第一党支部",
    "信息化建设发展有限责任公司软件研发第五党支部",
)


@dataclass(frozen=True)
class Line:
    """One text line as printed: its page (1-based), box in points and text."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    words: tuple[Line, ...] = field(default=(), compare=False, repr=False)

    def runs(self) -> list[Line]:
        """The line split where its words stand higher or lower than the word before them, or
        apart from it (see :data:`RUN_SHIFT`)."""
        if not self.words:
            return [self]
        groups: list[list[Line]] = [[self.words[0]]]
        for word in self.words[1:]:
            before = groups[-1][-1]
            if abs(word.y0 - before.y0) > RUN_SHIFT or word.x0 - before.x1 > RUN_GAP:
                groups.append([])
            groups[-1].append(word)
        return [Line(self.page, min(w.x0 for w in group), min(w.y0 for w in group),
                     max(w.x1 for w in group), max(w.y1 for w in group),
                     " ".join(w.text for w in group)) for group in groups]

    def overprints(self, other: Line) -> bool:
        """Whether the two lines' boxes cover each other on the same page."""
        if self.page != other.page:
            return False
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        smaller = min(self.y1 - self.y0, other.y1 - other.y0)
        return width > OVERLAP_WIDTH and height > OVERLAP_SHARE * smaller


BOX: Final = ("xMin", "yMin", "xMax", "yMax")


def text_lines(pdf: Path) -> list[Line]:
    """Every text line of ``pdf`` with its box, page by page."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    root = ElementTree.fromstring(xhtml)
    found = []
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        for line in page.iter(f"{XHTML}line"):
            words = tuple(Line(number, *(float(word.get(k, "0")) for k in BOX), word.text or "")
                          for word in line.iter(f"{XHTML}word"))
            found.append(Line(number, *(float(line.get(k, "0")) for k in BOX),
                              " ".join(word.text for word in words), words))
    return found


def page_count(pdf: Path) -> int:
    """How many pages ``pdf`` has."""
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def overprinted(lines: list[Line]) -> list[tuple[Line, Line]]:
    """The pairs of lines (runs of a line, see :meth:`Line.runs`) that overprint each other
    (by page, top to bottom)."""
    pairs = []
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).extend(line.runs())
    for page in sorted(by_page):
        ordered = sorted(by_page[page], key=lambda line: line.y0)
        for index, line in enumerate(ordered):
            for other in ordered[index + 1:]:
                if other.y0 >= line.y1:
                    break
                if line.overprints(other):
                    pairs.append((line, other))
    return pairs


def describe(pairs: list[tuple[Line, Line]]) -> list[str]:
    """The overprinted pairs as a reader would report them."""
    return [f"p{a.page}: {a.text!r} ({a.y0:.1f}–{a.y1:.1f}) over {b.text!r} "
            f"({b.y0:.1f}–{b.y1:.1f})" for a, b in pairs]


def long_name_roster(target: Path) -> Path:
    """The sample roster with every branch renamed to a real-length name."""
    book = openpyxl.load_workbook(sample_roster_path())
    sheet = book["branches"]
    for row, name in zip(range(2, sheet.max_row + 1), LONG_NAMES, strict=True):
        sheet.cell(row, 2, name)
    book.save(target)
    return target


ISSUER: Final = "中共省直属机关工作委员会"
ISSUE_DATE: Final = dt.date(2026, 12, 28)


def long_name_round(root: Path, *, today: dt.date, now: dt.datetime,
                    language: str = "zh-CN") -> Round:
    """A collected round with real-length names: the demo's returns, two handbooks; the list
    of advanced branches issued by :data:`ISSUER` on :data:`ISSUE_DATE`, names in roster
    order."""
    roster = long_name_roster(root.parent / f"{root.name}-roster.xlsx")
    init_round(root, roster, round_id="long-names", today=today, language=language)
    settings = root / "round.toml"
    settings.write_text(settings.read_text("utf-8").replace(
        'issuer = ""', f'issuer = "{ISSUER}"').replace(
        'issue_date = ""', f"issue_date = {ISSUE_DATE.isoformat()}").replace(
        'advanced_order = "rank"', 'advanced_order = "roster"'), "utf-8")
    round_ = open_round(root)
    packs = generate_scoresheets(round_, now=now).packs
    simulate_returns(round_, packs, now)
    fill_handbook(round_, "0101", round_.paths.inbox / "手册-0101.xlsx")
    fill_handbook(round_, "0102", round_.paths.inbox / "手册-0102.xlsx", activities=[],
                  counts={"full": 2, "probationary": 0}, handover=[])
    collect_round(round_, now=now)
    return round_
