"""The boursa_db benchmark suite: the seed's query shapes and bulk ingest, measured side by side
with raw asyncpg (same SQL) and the SQLAlchemy 2 async ORM. See ``benchmarks/README.md``."""
