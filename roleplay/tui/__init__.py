"""The Textual front end: the only package of roleplay that imports Textual."""
