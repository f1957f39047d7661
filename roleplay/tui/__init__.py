"""The Textual front end: the trainer and the workshop presenter. The only package that imports Textual.

May import: every package below the command line (plain, settings, exports, workshop, text, history,
authoring, library, core)."""
