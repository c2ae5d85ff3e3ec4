"""Exports: an archive's records as relational tables, for database engines.

`tables.py` says what the tables are (columns, keys, indexes, comments, the
kind of each value) and turns checked archives into rows, pure and
deterministic; `sqlite.py` writes them to an SQLite file. For engines that
gather thousands of archives, `keyed.py` keys each archive by its credit code
and checks them one at a time; `postgres.py` loads them into PostgreSQL
(psycopg, the `postgres` extra) and `parquet.py` writes a Parquet dataset
(pyarrow, the `parquet` extra).
"""
