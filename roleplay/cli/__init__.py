"""The `roleplay` command: one module per command group. Nothing imports it.

May import: every other package."""
