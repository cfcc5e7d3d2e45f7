"""Use cases, one module each: what a command or a console page asks sheetops to do."""
