"""The loopback server answers in one write, so clients never wait on Nagle + delayed ACK."""

from __future__ import annotations

import socket

from tests.support.kraken_server import KrakenLoopbackServer

REQUEST = b"GET /0/public/Time HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def _content_length(head: bytes) -> int:
    return next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )


def test_each_keep_alive_response_arrives_headers_and_body_together(
    server: KrakenLoopbackServer,
) -> None:
    first_reads: list[tuple[int, int]] = []  # (body bytes in the first read, content length)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for _ in range(8):  # past TCP's quick-ACK start, where delayed ACKs begin
            sock.sendall(REQUEST)
            head, _, body = sock.recv(65536).partition(b"\r\n\r\n")
            length = _content_length(head)
            first_reads.append((len(body), length))
            while len(body) < length:
                body += sock.recv(65536)
    assert all(length > 0 for _, length in first_reads)
    assert [got for got, _ in first_reads] == [length for _, length in first_reads]
