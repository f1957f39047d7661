"""The history of every call in one SQLite file: opening and migrating it, saving a call as it is played,
and every query over it (progress, reports, workshops). The only package with SQL in it.

May import: roleplay.library and roleplay.core."""
