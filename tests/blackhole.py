"""Servers that stop answering, on a loopback port, for the deadline tests.

* :class:`SilentServer` accepts TCP connections and never sends a byte: a hung host, or a
  firewall that lets the handshake through and drops everything after it.
* :class:`BlackholeProxy` forwards to the real test server until :meth:`~BlackholeProxy.go_silent`;
  from then on it swallows what either side sends and forwards nothing, on open and new
  connections alike, while every socket stays open: a network partition, not a reset.

Both run on the test's event loop and close every socket they hold when their block ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

from tests.support import url_with_database

LOOPBACK = "127.0.0.1"
_CHUNK = 65536


class SilentServer:
    """Accepts connections on a loopback port and never answers them."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@{LOOPBACK}:{self.port}/{database}"

    async def _hold(self, _: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[SilentServer]:
        self._server = await asyncio.start_server(self._hold, LOOPBACK, 0)
        try:
            yield self
        finally:
            self._server.close()
            for writer in self._writers:
                writer.transport.abort()


class BlackholeProxy:
    """Forwards loopback connections to the database server until told to go silent."""

    def __init__(self, target_url: str) -> None:
        self._target_url = target_url
        self._server: asyncio.Server | None = None
        self._silent = False
        self._writers: list[asyncio.StreamWriter] = []
        self._pumps: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def url(self) -> str:
        """The target URL with the proxy's address in place of the server's."""
        parts = urlsplit(self._target_url)
        user = parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else "postgres"
        proxied = f"postgresql://{user}@{LOOPBACK}:{self.port}/"
        return url_with_database(proxied, parts.path.lstrip("/"))

    def go_silent(self) -> None:
        """From now on nothing passes, in either direction; no socket is closed."""
        self._silent = True

    async def _open_upstream(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        parts = urlsplit(self._target_url)
        socket_dir = parse_qs(parts.query).get("host", [""])[0]
        if socket_dir.startswith("/"):
            pattern = os.path.join(socket_dir, ".s.PGSQL.*")
            sockets = sorted(path for path in glob.glob(pattern) if not path.endswith(".lock"))
            return await asyncio.open_unix_connection(sockets[0])
        return await asyncio.open_connection(parts.hostname or LOOPBACK, parts.port or 5432)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(_CHUNK):
                if not self._silent:
                    writer.write(data)
                    await writer.drain()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)  # held, so that no socket closes before the block ends
        if self._silent:
            return
        upstream_reader, upstream_writer = await self._open_upstream()
        self._writers.append(upstream_writer)
        for pump in (self._pump(reader, upstream_writer), self._pump(upstream_reader, writer)):
            task = asyncio.ensure_future(pump)
            self._pumps.add(task)
            task.add_done_callback(self._pumps.discard)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[BlackholeProxy]:
        self._server = await asyncio.start_server(self._serve, LOOPBACK, 0)
        try:
            yield self
        finally:
            self._server.close()
            for writer in self._writers:
                writer.transport.abort()
            for pump in list(self._pumps):
                pump.cancel()
            await asyncio.gather(*self._pumps, return_exceptions=True)
