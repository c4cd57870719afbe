"""Evidence archive: every response goes to WARC/1.1 gzip files under run_dir/warc/.

A pointer "warc/<file>.warc.gz#offset=<n>" (relative to run_dir) names one record.
Each record is its own gzip member, so a reader can seek straight to it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROTATE_BYTES = 100 * 1024 * 1024


class WarcStore:
    def __init__(self, run_dir: Path, prefix: str = "crawl", rotate_bytes: int = ROTATE_BYTES):
        self.dir = Path(run_dir) / "warc"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.rotate_bytes = rotate_bytes
        self.files: list[str] = []
        self._fh = None
        self._writer = None
        self._name = ""
        # A resumed crawl never appends to a file a killed process may have left half-written.
        self._seq = len(list(self.dir.glob(f"{prefix}-*.warc.gz")))

    def _open(self) -> None:
        self._seq += 1
        self._name = f"{self.prefix}-{self._seq:05d}.warc.gz"
        self._fh = open(self.dir / self._name, "ab")
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="WARC/1.1")
        self.files.append(f"warc/{self._name}")

    def _ready(self):
        if self._fh is None or self._fh.tell() >= self.rotate_bytes:
            self.close()
            self._open()
        return self._fh.tell()

    def write_response(self, url: str, status: int, reason: str, headers: list[tuple[str, str]],
                       body: bytes, method: str = "GET") -> str:
        offset = self._ready()
        clean = [(k, v) for k, v in headers if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
        clean.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), clean, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http,
            warc_headers_dict={"WARC-Method": method} if method != "GET" else None)
        self._writer.write_record(record)
        return f"warc/{self._name}#offset={offset}"

    def write_metadata(self, url: str, text: str) -> str:
        """A request that got no response (timeout, refused, guard): the evidence is what happened."""
        offset = self._ready()
        record = self._writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(text.encode("utf-8")),
            warc_content_type="text/plain; charset=utf-8")
        self._writer.write_record(record)
        return f"warc/{self._name}#offset={offset}"

    def flush(self) -> None:
        if self._fh is not None:
            self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None


def parse_pointer(pointer: str) -> tuple[str, int]:
    path, _, frag = pointer.partition("#")
    if not frag.startswith("offset="):
        raise ValueError(f"not a WARC pointer: {pointer!r}")
    return path, int(frag[len("offset="):])


def read_warc_record(run_dir: str | Path, pointer: str) -> tuple[dict, bytes]:
    """The record a pointer names: (headers, body). headers holds the WARC headers plus,
    for responses, "http_status" and "http_headers" (list of pairs)."""
    from warcio.archiveiterator import ArchiveIterator

    rel, offset = parse_pointer(pointer)
    path = (Path(run_dir) / rel).resolve()
    if not str(path).startswith(str(Path(run_dir).resolve())):
        raise ValueError("pointer leaves the run directory")
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            headers = {k: v for k, v in record.rec_headers.headers}
            if record.http_headers is not None:
                headers["http_status"] = int(record.http_headers.get_statuscode() or 0)
                headers["http_headers"] = list(record.http_headers.headers)
            return headers, record.content_stream().read()
    raise ValueError(f"no record at {pointer}")
