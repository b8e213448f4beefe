"""Where the SQL files and the migrations are, for an installed wheel and for a source checkout.

A built wheel carries both folders inside the package (``boursa_db/_resources``); an editable
install or a checkout reads them from the top of the repository, where they are maintained.
"""

from __future__ import annotations

from pathlib import Path

from boursa_db.errors import ConfigurationError

__all__ = ["migrations_dir", "sql_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def sql_dir() -> Path:
    """The folder of the hand-written ``.sql`` query files."""
    return _locate("sql")


def migrations_dir() -> Path:
    """The folder of the yoyo SQL migrations."""
    return _locate("migrations")


def _locate(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "_resources" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigurationError(f"the {name!r} folder of boursa_db is missing from the installation")
