"""The `roleplay` command: `main` (parser and dispatch) and one module per command group (`play`, `scenarios`,
`history`, `reports`, `workshop`), with what they share in `common`. Nothing imports it.

May import: every other package."""
