"""Rendering through LibreOffice: every page one page wide, Chinese in a CJK font."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sheetops.app.generate import GenerateResult
from sheetops.app.rank import rank_round
from sheetops.model.workspace import Round

from .crafted import filled
from .libreoffice import soffice_available, to_pdf

pytestmark = pytest.mark.skipif(
    not (soffice_available() and shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="needs LibreOffice (libreoffice-calc-nogui, python3-uno) and poppler-utils",
)


def pages(pdf: Path) -> list[str]:
    """The text of each page, laid out."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    return [page for page in out.split("\f") if page.strip()]


def fonts(pdf: Path) -> list[str]:
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    return [line.split()[0] for line in lines if line.strip()]


def test_a_pack_prints_one_page_wide_in_a_cjk_font(
    sample_round: tuple[Round, GenerateResult], tmp_path: Path
) -> None:
    round_, result = sample_round
    pdf = to_pdf(round_.paths.outbox / result.packs[0].file, tmp_path)
    texts = pages(pdf)
    assert len(texts) >= 4  # four forms, each at least a page
    for text in texts:  # the header row repeats on every page, whole: nothing cut off right
        assert "序号" in text and "扣分说明" in text
    joined = "".join(texts)
    assert "2026年度党支部建设目标管理年终考核" in joined
    assert "党支部建设目标管理考核表（自评）" in joined
    assert "_meta" not in joined and "signature" not in joined  # the hidden sheet is not printed
    used = fonts(pdf)
    assert any("CJK" in name for name in used), used
    assert not any(name.startswith("[none]") for name in used)


def test_the_summary_prints_one_page_wide(fresh: Round, tmp_path: Path) -> None:
    for code in ("0101", "0102", "X01"):
        filled(fresh, code, f"{code}.xlsx")
    from sheetops.app.collect import collect_round

    collect_round(fresh)
    summary = rank_round(fresh).summary
    texts = pages(to_pdf(summary, tmp_path))
    ranking = [t for t in texts if "名次" in t and "综合得分" in t and "否决原因" in t]
    assert ranking and all("评分完整" in t for t in ranking)
    detail = [t for t in texts if "被评支部代码" in t]
    assert detail and all("收到时间" in t for t in detail)
    assert any("先进党支部名单" in t for t in texts)
    assert any("CJK" in name for name in fonts(to_pdf(summary, tmp_path)))
