"""The Textual front end: the trainer and the workshop presenter. The only package that imports Textual.

`app` holds the App and its factories, `session` what the screens are given, `history_thread` the one
thread every history read and write goes through, `trainer/` the trainee's screens and their flow,
`presenter/` the workshop's, and `widgets/` what both share (the call as it is played among them).

May import: every package below the command line (plain, settings, exports, workshop, text, history,
authoring, library, core)."""
