"""A real RFC 3161 time-stamping authority on loopback: `openssl ts -reply` behind HTTP.

Tests make a throwaway CA and a TSA certificate (extended key usage timeStamping), then answer
each POSTed request by running openssl, exactly as a public TSA would answer.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ tsa_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
"""


@dataclass(frozen=True)
class LocalTsa:
    url: str
    ca_cert: Path
    tsa_cert: Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_authority(directory: Path) -> None:
    (directory / "serial").write_text("01\n")
    (directory / "tsa.cnf").write_text(CONFIG.format(serial=directory / "serial"))
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
             "ca.crt", "-subj", "/CN=Haven test CA", "-days", "2", cwd=directory)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
             "-subj", "/CN=Haven test TSA", cwd=directory)
    _openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "tsa.crt", "-days", "2", "-extfile", "tsa.cnf",
             "-extensions", "tsa_ext", cwd=directory)


@contextmanager
def local_tsa() -> Iterator[LocalTsa]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        make_authority(directory)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server names it so
                query = self.rfile.read(int(self.headers["Content-Length"]))
                answer = subprocess.run(
                    ["openssl", "ts", "-reply", "-queryfile", "/dev/stdin", "-config",
                     "tsa.cnf", "-section", "tsa_config", "-inkey", "tsa.key", "-signer",
                     "tsa.crt", "-out", "/dev/stdout"],
                    input=query, cwd=directory, capture_output=True, check=True)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer.stdout)))
                self.end_headers()
                self.wfile.write(answer.stdout)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield LocalTsa(f"http://127.0.0.1:{server.server_port}/tsa", directory / "ca.crt",
                           directory / "tsa.crt")
        finally:
            server.shutdown()
            server.server_close()
