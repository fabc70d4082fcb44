"""Reproducible benchmarks of the money and trust kernel, on PostgreSQL.

Run with `make bench` (or `DATABASE_URL=postgres://... python -m bench`). The benchmark builds its
own database from the migrations and its own data, measures, and writes bench/results.json and
docs/benchmarks.md. Speeds are set against the physical limit measured in the same run: plain
psycopg writing the same rows (see bench/ledger.py), so the figures compare between machines.
"""
