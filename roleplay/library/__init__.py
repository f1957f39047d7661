"""Files become validated models: the safe YAML reader, the loader and its checks, the shipped library
(`data/`), and the JSON Schemas for editors (`schema/`).

Owns: every problem a scenario or catalog file can have, said as FILE:LINE: message — hint.
May import: roleplay.core."""
