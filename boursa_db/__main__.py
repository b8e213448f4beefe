"""Command line: ``python -m boursa_db demo | migrate | rollback | server``."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from boursa_db.errors import BoursaDbError

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m boursa_db", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="write a few hundred bars and print the latest prices")
    demo.add_argument("--database-url", help="default: $DATABASE_URL, else an embedded server")
    for name, text in (("migrate", "apply pending migrations"), ("rollback", "roll back")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--database-url", help="default: $DATABASE_URL")
    server = commands.add_parser(
        "server", help="run an embedded throwaway PostgreSQL until interrupted"
    )
    server.add_argument("--port", type=int, help="also listen on 127.0.0.1:PORT")
    typegen = commands.add_parser(
        "typegen", help="regenerate boursa_db/query_types.py from the database"
    )
    typegen.add_argument("--database-url", help="a migrated database (default: an embedded one)")
    typegen.add_argument(
        "--check", action="store_true", help="print the diff and exit 1 when the file is stale"
    )
    arguments = parser.parse_args(argv)
    try:
        return _run(arguments)
    except BoursaDbError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(arguments: argparse.Namespace) -> int:
    if arguments.command == "demo":
        from boursa_db.demo import run_demo

        print(run_demo(arguments.database_url))
        return 0
    if arguments.command == "server":
        return _serve(arguments.port)
    if arguments.command == "typegen":
        from boursa_db.typegen import run_typegen

        return run_typegen(arguments.database_url, check=arguments.check)
    from boursa_db.migrations import apply_migrations, rollback_migrations

    url = arguments.database_url or os.environ.get("DATABASE_URL")
    if not url:
        print("error: give --database-url or set DATABASE_URL", file=sys.stderr)
        return 2
    done = apply_migrations(url) if arguments.command == "migrate" else rollback_migrations(url)
    print("\n".join(done) if done else "nothing to do")
    return 0


def _serve(port: int | None) -> int:
    from boursa_db.embedded import start_embedded_postgres

    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    with start_embedded_postgres(port=port) as server:
        print(server.url, flush=True)
        signal.sigwait(stop_signals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
