"""``python -m sheetops``."""

from sheetops.cli.main import main

main()
