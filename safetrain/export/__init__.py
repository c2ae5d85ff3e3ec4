"""Exports: an archive's records as relational tables, for database engines.

`tables.py` says what the tables are (columns, keys, indexes, comments) and
turns checked archives into rows, pure and deterministic; `sqlite.py` writes
them to an SQLite file. A later Parquet writer reuses `tables.py`.
"""
