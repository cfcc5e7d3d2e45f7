"""verify, backup and restore on a real collected round; a damaged ledger; stopped collects."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetops.app.collect import collect_round
from sheetops.app.rank import compute_results
from sheetops.app.upkeep import BACKUP_INDEX, backup_round, verify_round
from sheetops.cli.main import main
from sheetops.ledger.status import round_status
from sheetops.ledger.store import Ledger
from sheetops.model.workspace import Round, open_round

from .conftest import NOW
from .crafted import fill_pack, filled, pack_of, stranger_mail


@pytest.fixture
def collected(fresh: Round) -> Round:
    """Two branches' packs and one inspector's returned and collected."""
    for code in ("0101", "0102", "X01"):
        filled(fresh, code, f"{code}.xlsx")
    collect_round(fresh, now=NOW)
    return fresh


def archived(round_: Round) -> list[tuple[str, str]]:
    """``(sha256, archive path)`` of every recorded file, in the ledger's order."""
    with Ledger(round_.paths.ledger) as ledger:
        return [(f.sha256, f.archive) for f in ledger.files()]


def test_a_sound_round_verifies(collected: Round) -> None:
    result = CliRunner().invoke(main, ["verify", str(collected.paths.root)])
    assert (result.exit_code, result.output) == (
        0, "核验通过：账本完好，记录的 3 个文件都在存档中，内容与收到时一致。\n")


def test_verify_names_every_missing_changed_and_leftover_file(collected: Round) -> None:
    (_, missing), (_, changed), (sha, kept) = archived(collected)
    root = collected.paths.root
    (root / missing).unlink()
    os.chmod(root / changed, stat.S_IREAD | stat.S_IWRITE)
    with (root / changed).open("ab") as handle:
        handle.write(b"!")
    size = (root / changed).stat().st_size
    (root / "archive/.incoming-77-abcdef").write_bytes(b"half")
    stray = root / "archive/ff" / ("f" * 64 + ".xlsx")
    stray.parent.mkdir()
    stray.write_bytes(b"never recorded")
    result = CliRunner().invoke(main, ["verify", str(root), "--json"])
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document == {
        "round": "2026-year-end", "ok": False, "files": 3, "verified": 1,
        "findings": [
            {"kind": "archive-missing", "error": True, "path": missing,
             "detail": missing.split("/")[-1][:64]},
            {"kind": "archive-changed", "error": True, "path": changed,
             "detail": f"{size} ≠ {size - 1} B"},
            {"kind": "incoming-leftover", "error": False, "path": "archive/.incoming-77-abcdef",
             "detail": ""},
            {"kind": "archive-unrecorded", "error": False,
             "path": f"archive/ff/{'f' * 64}.xlsx", "detail": ""},
        ],
    }
    assert kept.split("/")[-1].startswith(sha)
    text = CliRunner().invoke(main, ["verify", str(root)]).output.splitlines()
    assert text[0] == "核验发现问题：账本记录 3 个文件，其中 1 个核对无误。"
    assert text[1] == (f"  存档文件缺失：{missing}（SHA-256 {missing.split('/')[-1][:64]}）。"
                       "账本里的这份来件已无法复核。")
    assert text[2] == f"  存档文件已被改动：{changed}（现为 {size} ≠ {size - 1} B）。"


def test_the_next_collect_removes_what_a_stopped_one_left(collected: Round) -> None:
    leftover = collected.paths.archive / ".incoming-77-abcdef"
    leftover.write_bytes(b"half")
    os.chmod(leftover, stat.S_IREAD)
    collect_round(collected, [], now=NOW)
    assert not leftover.exists()
    assert verify_round(collected).findings == []


@pytest.mark.parametrize("damage", ["noise", "pages"])
def test_a_damaged_ledger_is_a_message_never_a_traceback(collected: Round, damage: str) -> None:
    ledger = collected.paths.ledger
    if damage == "noise":
        ledger.write_bytes(os.urandom(3000))
        reason = "file is not a database"
    else:
        data = bytearray(ledger.read_bytes())
        data[4096:len(data)] = b"A" * (len(data) - 4096)  # every page after the first
        ledger.write_bytes(bytes(data))
        reason = "database disk image is malformed"
    root = str(collected.paths.root)
    result = CliRunner().invoke(main, ["verify", root])
    assert (result.exit_code, result.output.splitlines()[:2]) == (1, [
        "核验发现问题：账本记录 0 个文件，其中 0 个核对无误。",
        f"  账本已损坏（.sheetops/ledger.sqlite：{reason}）。"
        "请运行 sheetops rebuild 从存档重建，或用备份恢复：sheetops restore 备份.zip 新目录",
    ])
    for command in (["rank", root], ["collect", root], ["status", root]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, command
        assert result.exception is None or isinstance(result.exception, SystemExit), command
        assert "账本已损坏" in result.output or "账本已损坏" in (result.stderr or ""), command


def test_backup_and_restore_give_back_the_same_round(collected: Round, tmp_path: Path) -> None:
    before = compute_results(collected).results
    out = tmp_path / "backups" / "2026年终.zip"
    result = CliRunner().invoke(main, ["backup", str(collected.paths.root), str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        index = json.loads(archive.read(BACKUP_INDEX))
    assert {".sheetops/key", ".sheetops/ledger.sqlite", "round.toml", "scheme.yaml",
            "roster.xlsx", "outbox/manifest.csv"} <= names
    assert not {n for n in names if n.endswith((".lock", "-wal", "-shm"))}
    assert {a for _, a in archived(collected)} <= names
    assert set(index["members"]) == names - {BACKUP_INDEX}
    assert result.output == (f"已备份：{out}（{len(index['members'])} 个文件，共 "
                             f"{sum(m['size'] for m in index['members'].values()) / 2**20:.1f}"
                             " MB）。备份含签名密钥，请与轮次目录一样妥善保管。\n")

    target = tmp_path / "恢复" / "2026-year-end"
    result = CliRunner().invoke(main, ["restore", str(out), str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已恢复考核轮次“{collected.config.title}”（2026-year-end）"
                                    f"：{target}（{len(index['members'])} 个文件")
    restored = open_round(target)
    assert verify_round(restored).ok and verify_round(restored).files == 3
    assert compute_results(restored).results == before
    assert stat.S_IMODE((target / ".sheetops/key").stat().st_mode) == 0o600
    assert all(not os.access(target / a, os.W_OK) or os.geteuid() == 0
               for _, a in archived(restored))
    assert stat.S_IMODE((target / archived(restored)[0][1]).stat().st_mode) == 0o444
    # restore never writes into an existing round
    again = CliRunner().invoke(main, ["restore", str(out), str(target)])
    assert (again.exit_code, again.output) == (
        1, f"错误：{target} 已存在且不是空目录。恢复只写入新目录，请换一个目录。\n")


def test_backup_reads_the_ledger_through_sqlite(collected: Round, tmp_path: Path) -> None:
    """A transaction in progress on the live ledger does not reach the backup."""
    writer = sqlite3.connect(collected.paths.ledger)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM submissions")
    out = tmp_path / "b.zip"
    backup_round(collected, out)
    writer.rollback()
    writer.close()
    target = tmp_path / "restored"
    CliRunner().invoke(main, ["restore", str(out), str(target)], catch_exceptions=False)
    assert compute_results(open_round(target)).results == compute_results(collected).results


def test_a_backup_is_not_written_over_or_inside_the_round(collected: Round,
                                                           tmp_path: Path) -> None:
    root = collected.paths.root
    inside = CliRunner().invoke(main, ["backup", str(root), str(root / "reports/b.zip")])
    assert (inside.exit_code, inside.output) == (1, (
        f"错误：备份文件 {root / 'reports/b.zip'} 不能放在轮次目录 {root} 里面，"
        "请放到别处（例如 U 盘或共享盘）。\n"))
    existing = tmp_path / "b.zip"
    existing.write_bytes(b"keep me")
    over = CliRunner().invoke(main, ["backup", str(root), str(existing)])
    assert (over.exit_code, over.output) == (
        1, f"错误：{existing} 已存在，不会覆盖。请换一个文件名。\n")
    assert existing.read_bytes() == b"keep me"


def _rewrite(source: Path, target: Path, change: str) -> None:
    """A copy of a backup with one member changed, added or renamed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if change == "bytes" and info.filename == "round.toml":
                data = data.replace(b"2026", b"2027", 1)
            if change == "escape" and info.filename == "round.toml":
                info.filename = "../round.toml"
            new.writestr(info, data)
        if change == "extra":
            new.writestr("outbox/extra.xlsx", b"not in the index")


@pytest.mark.parametrize(("change", "member"), [
    ("bytes", "round.toml"), ("extra", "../round.toml"), ("escape", "../round.toml"),
])
def test_a_damaged_or_tampered_backup_restores_nothing(
    collected: Round, tmp_path: Path, change: str, member: str
) -> None:
    good = tmp_path / "good.zip"
    backup_round(collected, good)
    bad = tmp_path / "bad.zip"
    _rewrite(good, bad, change)
    if change == "extra":
        member = "outbox/extra.xlsx"
    target = tmp_path / "restored"
    result = CliRunner().invoke(main, ["restore", str(bad), str(target)])
    assert (result.exit_code, result.output) == (
        1, f"错误：备份 {bad} 已损坏：{member} 与备份清单不符。未恢复任何内容。\n")
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert not (tmp_path.parent / "round.toml").exists()


def test_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("round.toml", "x")
    noise = tmp_path / "noise.zip"
    noise.write_bytes(os.urandom(500))
    for path in (plain, noise):
        result = CliRunner().invoke(main, ["restore", str(path), str(tmp_path / "r")])
        assert (result.exit_code, result.output) == (
            1, f"错误：{path} 不是 sheetops 备份文件（找不到备份清单）。\n")


def test_rank_reads_one_snapshot_of_the_ledger(collected: Round,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A collect that records between rank's reads of the forms and of the files cannot
    leave it with forms whose files it never saw."""
    before = compute_results(collected)
    original = Ledger.files

    def files_after_a_collect(self: Ledger) -> object:
        writer = sqlite3.connect(collected.paths.ledger)
        writer.execute("DELETE FROM issues")
        writer.execute("UPDATE submissions SET superseded_by = NULL")
        writer.execute("UPDATE files SET name = 'renamed.xlsx'")
        writer.commit()
        writer.close()
        return original(self)

    monkeypatch.setattr(Ledger, "files", files_after_a_collect)
    during = compute_results(collected)
    assert {f.name for f in during.files.values()} == {f.name for f in before.files.values()}
    monkeypatch.setattr(Ledger, "files", original)
    assert {f.name for f in compute_results(collected).files.values()} == {"renamed.xlsx"}


def test_rebuild_makes_a_damaged_ledger_again_from_the_archive(collected: Round,
                                                               tmp_path: Path) -> None:
    root = str(collected.paths.root)
    # A return from a stranger's address, accepted after review; a veto recorded and one
    # recorded then revoked: the decisions must come back too.
    source, pack = pack_of(collected, "0103")
    data = fill_pack(source, tmp_path / "0103.xlsx", pack, collected.scheme).read_bytes()
    (collected.paths.inbox / "0103.eml").write_bytes(stranger_mail(data, "0103.xlsx"))
    collect_round(collected, now=NOW)
    [held] = round_status(collected).held
    for command in (
            ["accept", root, held.sha256[:12], "--note", "电话核实"],
            ["veto", root, "0102", "discipline", "--note", "受到党纪处分"],
            ["veto", root, "0101", "discipline", "--note", "误录"],
            ["veto", root, "0101", "discipline", "--note", "撤销误录", "--remove"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0, (command, result.output)
    before = compute_results(collected).results
    with Ledger(collected.paths.ledger) as ledger:
        files_before = [(f.sha256, f.name, f.source, f.sender, f.received_at, f.status)
                        for f in ledger.files()]
        vetoes_before = ledger.active_vetoes()
        accepted_before = ledger.acceptances()
    assert len(files_before) == 4 and len(vetoes_before) == 1

    sound = CliRunner().invoke(main, ["rebuild", root])
    assert sound.exit_code == 1
    assert "账本完好" in sound.output and "--force" in sound.output

    damaged = os.urandom(3000)
    collected.paths.ledger.write_bytes(damaged)
    result = CliRunner().invoke(main, ["rebuild", root])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    [aside] = [p for p in collected.paths.private.glob("ledger-set-aside-*.sqlite")]
    assert lines[0] == f"原账本已另存为 {aside}"
    assert aside.read_bytes() == damaged
    assert lines[1] == ("已从存档重建账本：重新登记 4 个文件（采用 3，待审核 1，退回 0），"
                        "重放考核办决定 4 项。")
    assert lines[2].startswith(f"下一步：运行 sheetops verify {root} 核验")
    assert verify_round(collected).ok
    with Ledger(collected.paths.ledger) as ledger:
        assert [(f.sha256, f.name, f.source, f.sender, f.received_at, f.status)
                for f in ledger.files()] == files_before
        assert ledger.active_vetoes() == vetoes_before
        assert ledger.acceptances() == accepted_before
    assert compute_results(collected).results == before
    # Rebuilt twice (forced): the same again, the journal not doubled.
    again = CliRunner().invoke(main, ["rebuild", root, "--force"])
    assert again.exit_code == 0, again.output
    assert compute_results(collected).results == before
    journal = (collected.paths.private / "decisions.jsonl").read_text(encoding="utf-8")
    assert len(journal.splitlines()) == 4


def test_the_set_aside_ledger_is_named_in_the_rounds_time(collected: Round) -> None:
    """The old ledger's new name carries the time as staff read it (Beijing time), not UTC:
    17:04:29 UTC on 7 December is 01:04:29 on 8 December in Beijing."""
    from sheetops.app.rebuild import rebuild_round

    moment = dt.datetime(2026, 12, 7, 17, 4, 29, 500000, tzinfo=dt.UTC)
    report = rebuild_round(collected, force=True, now=moment)
    assert report.set_aside[0].name == "ledger-set-aside-20261208T010429.sqlite"
