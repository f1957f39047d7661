"""Tools for people who write scenarios: the strict lint, the walk of every path, the diagrams.

May import: roleplay.library and roleplay.core."""
