"""A workshop run by a facilitator for a room: the room's votes deciding each turn, the before/after
excerpts, and the session that ties them to the history.

May import: roleplay.text, roleplay.history, roleplay.library, roleplay.core."""
