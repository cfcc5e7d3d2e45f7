"""The platform seam: locks, CPUs, how workers start and how their memory is capped; that
nothing POSIX-only is imported at the top of a module, and that everything loads on the
simulated Windows (tests/simulated_windows)."""

from __future__ import annotations

import ast
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetops.app.collect import MAX_WORKERS, default_workers
from sheetops.cli.main import main
from sheetops.core.files import exclusive, remove_file
from sheetops.core.platform import (
    FORK,
    RLIMIT,
    SPAWN,
    WATCHDOG,
    MemoryWatchdog,
    WorkerIsolation,
    usable_cpus,
    worker_isolation,
)

from .platforms import simulated_windows
from .test_cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
SIMULATION = ROOT / "tests" / "simulated_windows"
# Modules that exist on some systems only: none may be imported at the top of a module.
PLATFORM_ONLY = {"fcntl", "resource", "termios", "tty", "pty", "pwd", "grp", "posix", "syslog",
                 "crypt", "spwd", "nis", "curses", "readline", "msvcrt", "winreg", "winsound",
                 "_winapi", "nt"}


def on_linux() -> bool:
    return sys.platform.startswith("linux") and not simulated_windows()


def test_the_platform_picks_its_fast_path() -> None:
    expected = WorkerIsolation(FORK, RLIMIT) if on_linux() else WorkerIsolation(SPAWN, WATCHDOG)
    assert worker_isolation() == expected


@pytest.mark.skipif(not on_linux(), reason="workers are spawned here anyway")
def test_workers_are_spawned_while_another_thread_runs() -> None:
    # Forking a threaded process can copy a lock another thread holds (a web server's threads).
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert worker_isolation() == WorkerIsolation(SPAWN, RLIMIT)
    finally:
        stop.set()
        thread.join()
    assert worker_isolation() == WorkerIsolation(FORK, RLIMIT)


def refusal(start_method: str, memory_guard: str) -> str:
    with pytest.raises(ValueError) as refused:
        WorkerIsolation(start_method, memory_guard)
    return str(refused.value)


def test_isolation_choices_are_checked() -> None:
    assert refusal("forkserver", RLIMIT) == "unknown start method 'forkserver'"
    assert refusal(SPAWN, "cgroup") == "unknown memory guard 'cgroup'"
    assert WorkerIsolation(SPAWN, WATCHDOG).name == "spawn+watchdog"


@pytest.mark.skipif(not simulated_windows(), reason="only the simulated Windows lacks these")
def test_what_windows_lacks_is_refused() -> None:
    assert refusal(FORK, WATCHDOG) == "this system cannot fork"
    assert refusal(SPAWN, RLIMIT) == "this system cannot cap a process's address space"


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity here")
def test_usable_cpus_follow_the_affinity() -> None:
    assert usable_cpus() == len(os.sched_getaffinity(0))
    one = min(os.sched_getaffinity(0))
    script = (f"import os; os.sched_setaffinity(0, {{{one}}}); "
              "from sheetops.app.collect import default_workers; "
              "from sheetops.core.platform import usable_cpus; "
              "print(usable_cpus(), default_workers())")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout == "1 1\n"


@pytest.mark.skipif(hasattr(os, "sched_getaffinity"), reason="the affinity is known here")
def test_without_an_affinity_every_cpu_is_usable() -> None:
    assert usable_cpus() == os.cpu_count()
    assert default_workers() == min(os.cpu_count() or 1, MAX_WORKERS)


def test_a_lock_waits_for_its_holder(tmp_path: Path) -> None:
    path = tmp_path / "二〇二六年度" / "collect.lock"
    order: list[str] = []
    held, release, taken = threading.Event(), threading.Event(), threading.Event()

    def holder() -> None:
        with exclusive(path):
            order.append("held")
            held.set()
            release.wait(10)
            order.append("released")

    def waiter() -> None:
        with exclusive(path):
            order.append("taken")
        taken.set()

    first = threading.Thread(target=holder)
    first.start()
    assert held.wait(10)
    second = threading.Thread(target=waiter)
    second.start()
    assert not taken.wait(0.5)  # still held
    release.set()
    assert taken.wait(10)
    first.join()
    second.join()
    assert order == ["held", "released", "taken"]
    with exclusive(path):  # free again
        pass


def test_read_only_files_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "只读.bin"
    path.write_bytes(b"x")
    path.chmod(stat.S_IREAD)
    remove_file(path)
    assert not path.exists()
    remove_file(path)  # already gone: nothing to do


def test_the_watchdog_ends_a_process_past_its_limit() -> None:
    grow = ("import time\nheld = []\nfor _ in range(128):\n"
            "    held.append(b'1' * (8 << 20))\n    time.sleep(0.01)\n")
    stay = "import time\ntime.sleep(0.5)\n"
    watchdog = MemoryWatchdog()
    try:
        growing = subprocess.Popen([sys.executable, "-c", grow])
        staying = subprocess.Popen([sys.executable, "-c", stay])
        watchdog.watch(growing.pid, 64 * 2**20)
        watchdog.watch(staying.pid, 64 * 2**20)
        assert growing.wait(timeout=60) != 0
        assert staying.wait(timeout=60) == 0
        assert (watchdog.exceeded(growing.pid), watchdog.exceeded(staying.pid)) == (True, False)
        watchdog.forget(growing.pid)
        assert not watchdog.exceeded(growing.pid)
    finally:
        watchdog.close()


def top_level_imports(path: Path) -> set[str]:
    """The modules a file imports when it is imported (module body, its ifs and trys)."""
    found: set[str] = set()
    statements = list(ast.parse(path.read_text("utf-8")).body)
    while statements:
        node = statements.pop()
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.If | ast.Try | ast.With):
            statements.extend(node.body)
            statements.extend(getattr(node, "orelse", []))
            statements.extend(getattr(node, "finalbody", []))
            for handler in getattr(node, "handlers", []):
                statements.extend(handler.body)
    return found


def test_no_module_imports_a_platform_only_module_at_its_top() -> None:
    offending = {
        str(path.relative_to(ROOT)): sorted(top_level_imports(path) & PLATFORM_ONLY)
        for path in sorted((ROOT / "src" / "sheetops").rglob("*.py"))
    }
    assert {name: found for name, found in offending.items() if found} == {}
    assert top_level_imports(ROOT / "tests" / "simulated_windows" / "sitecustomize.py") >= {
        "os", "sys"}  # the walk sees what it should


HELP_SCRIPT = """
import importlib, json, pkgutil, sys
import sheetops
modules = [m.name for m in pkgutil.walk_packages(sheetops.__path__, "sheetops.")
           if m.name != "sheetops.__main__"]  # runs the command (done below)
for name in modules:
    importlib.import_module(name)
from click.testing import CliRunner
from sheetops.cli.main import main
helps = {name: CliRunner().invoke(main, [*name.split(), "--help"], terminal_width=80).output
         for name in json.loads(sys.argv[1])}
helps[""] = CliRunner().invoke(main, ["--help"], terminal_width=80).output
hidden = []
for name in ("fcntl", "resource"):
    try:
        importlib.import_module(name)
    except ImportError:
        hidden.append(name)
import os, select
print(json.dumps({"modules": len(modules), "helps": helps, "hidden": hidden,
                  "fork": hasattr(os, "fork"), "poll": hasattr(select, "poll")}))
"""


def test_every_module_and_every_help_loads_on_the_simulated_windows() -> None:
    env = {**os.environ, "COLUMNS": "80", "SHEETOPS_LANG": "zh-CN", "PYTHONPATH": os.pathsep.join(
        [str(SIMULATION), *filter(None, [os.environ.get("PYTHONPATH")])])}
    names = [name for name, _ in COMMANDS]
    done = subprocess.run([sys.executable, "-c", HELP_SCRIPT, json.dumps(names)], env=env,
                          capture_output=True, text=True, encoding="utf-8", check=True,
                          timeout=120)
    child = json.loads(done.stdout)
    assert (child["hidden"], child["fork"], child["poll"]) == (["fcntl", "resource"], False,
                                                               False)
    modules = [p for p in (ROOT / "src" / "sheetops").rglob("*.py") if p.name != "__main__.py"]
    assert child["modules"] == len(modules) - 1  # the package's own __init__ is not listed
    chinese = {"SHEETOPS_LANG": "zh-CN"}
    helps = {name: CliRunner().invoke(main, [*name.split(), "--help"], terminal_width=80,
                                      env=chinese).output
             for name in names}
    helps[""] = CliRunner().invoke(main, ["--help"], terminal_width=80, env=chinese).output
    assert child["helps"] == helps
    assert helps[""].startswith("用法：main [选项] 命令 [参数]...")
    # The console command itself, as staff run it.
    shown = subprocess.run([sys.executable, "-m", "sheetops", "--help"], env=env,
                           capture_output=True, text=True, encoding="utf-8", check=True,
                           timeout=60)
    # (click leaves two columns of a real terminal's 80 unused)
    assert shown.stdout == CliRunner().invoke(main, ["--help"], prog_name="python -m sheetops",
                                              terminal_width=78, env=chinese).output
