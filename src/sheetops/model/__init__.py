"""The round's plain data: scheme, roster, round settings, handbook definition, workspace."""
