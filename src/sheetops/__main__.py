"""``python -m sheetops``."""

from sheetops.cli import main

main()
