"""A small RFC 6455 WebSocket implementation (text frames, ping/pong, close), stdlib only.

Used by the course's OCS stand-ins: the crossbar stand-in accepts WebSocket upgrades with it
and the OCS agent stand-in connects with it. The same file is in both images.
"""

import base64
import hashlib
import os
import socket
import struct
import threading
from urllib.parse import urlsplit

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_key(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


class Closed(Exception):
    pass


class WebSocket:
    """One open WebSocket. Clients mask what they send (mask=True), servers do not."""

    def __init__(self, sock, rfile, mask):
        self.sock = sock
        self.rfile = rfile
        self.mask = mask
        self.lock = threading.Lock()
        self.closed = False

    def _send_frame(self, opcode, payload):
        head = bytes([0x80 | opcode])
        n = len(payload)
        mbit = 0x80 if self.mask else 0
        if n < 126:
            head += bytes([mbit | n])
        elif n < 65536:
            head += bytes([mbit | 126]) + struct.pack("!H", n)
        else:
            head += bytes([mbit | 127]) + struct.pack("!Q", n)
        if self.mask:
            key = os.urandom(4)
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
            head += key
        with self.lock:
            if self.closed:
                raise Closed()
            try:
                self.sock.sendall(head + payload)
            except OSError as e:
                self.closed = True
                raise Closed() from e

    def send_text(self, text):
        self._send_frame(0x1, text.encode())

    def _read(self, n):
        data = self.rfile.read(n)
        if data is None or len(data) < n:
            raise Closed()
        return data

    def recv(self):
        """The next text (or binary) message as str; raises Closed when the peer is gone."""
        parts = []
        while True:
            try:
                b1, b2 = self._read(2)
            except OSError as e:
                raise Closed() from e
            fin, opcode = b1 & 0x80, b1 & 0x0F
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            key = self._read(4) if b2 & 0x80 else None
            payload = self._read(n) if n else b""
            if key:
                payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:  # close: answer it, then stop
                try:
                    self._send_frame(0x8, payload[:2])
                except Closed:
                    pass
                self.close()
                raise Closed()
            if opcode == 0x9:  # ping
                self._send_frame(0xA, payload)
                continue
            if opcode == 0xA:  # pong
                continue
            parts.append(payload)
            if fin:
                return b"".join(parts).decode("utf-8", "replace")

    def close(self):
        with self.lock:
            self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass


def connect(url, protocols=(), timeout=5):
    """Opens a client WebSocket to ws://host:port/path; returns (WebSocket, chosen protocol)."""
    u = urlsplit(url)
    if u.scheme != "ws":
        raise ValueError(f"only ws:// URLs are supported, not {url!r}")
    host, port = u.hostname, u.port or 80
    sock = socket.create_connection((host, port), timeout=timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {u.path or '/'} HTTP/1.1",
        f"Host: {host}:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]
    if protocols:
        lines.append("Sec-WebSocket-Protocol: " + ", ".join(protocols))
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    rfile = sock.makefile("rb")
    status = rfile.readline().decode("latin-1").strip()
    headers = {}
    while True:
        line = rfile.readline().decode("latin-1").strip()
        if not line:
            break
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if not status.startswith("HTTP/1.1 101"):
        sock.close()
        raise ConnectionError(f"{url} refused the WebSocket upgrade: {status}")
    if headers.get("sec-websocket-accept") != accept_key(key):
        sock.close()
        raise ConnectionError(f"{url} answered with a wrong Sec-WebSocket-Accept")
    sock.settimeout(None)
    return WebSocket(sock, rfile, mask=True), headers.get("sec-websocket-protocol")
