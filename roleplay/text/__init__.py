"""What the front ends say: gettext with the zh_CN catalogue (`locale/`), the words for the model's
vocabulary, and the sentences more than one front end shows.

May import: roleplay.history, roleplay.authoring, roleplay.library, roleplay.core (for their types)."""
