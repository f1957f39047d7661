"""What leaves the trainer as a file: reports (Markdown, CSV, a self-contained HTML handout) and xAPI
statements for a learning record store.

May import: roleplay.text, roleplay.history, roleplay.library, roleplay.core."""
