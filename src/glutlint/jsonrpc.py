"""JSON-RPC messages read from a byte stream (the language server's stdin), surviving bad input.

A message is a `Content-Length: N` header line, optional other header lines, a blank line and
N bytes of JSON. A client can get this wrong in many ways; none of them may cost more than the
broken message itself:

- bytes before a header (garbage between messages, a header block without Content-Length,
  the tail of a body longer than its Content-Length) are skipped up to the next
  `Content-Length:`, wherever it starts, even in mid-line;
- a Content-Length that is not a number (or absurdly large) leaves the body's end unknown: the
  message is skipped the same way;
- a body that is not JSON (malformed, truncated by a Content-Length shorter than the body, not
  UTF-8, nested too deeply) is a parse error, and its bytes are searched again for the next
  header, so a short Content-Length costs one message, never the stream;
- JSON that is not a JSON-RPC 2.0 request, notification or response is an invalid request,
  with the message's id when it has a usable one.

`messages()` yields what the server must act on, in stream order; it ends at end of input.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603

HEADER = b"content-length:"
#: A larger Content-Length is treated as garbage: skipped, never allocated or waited for. Four
#: times the 20 MiB buffer limit, room for a full buffer however JSON escapes it; a body that
#: large holds no message the server would check. A Content-Length under it that the client
#: never sends in full still holds up the stream until that many bytes have come.
MAX_BODY = 64 * 1024 * 1024
CHUNK = 1 << 16

MsgId = int | str


class ByteStream(Protocol):
    """An unbuffered stream: `read(n)` returns what is there, at most n bytes; b"" at EOF."""

    def read(self, size: int = -1, /) -> bytes | None: ...


@dataclass(frozen=True)
class Skipped:
    """Bytes that are not part of any message, with the reason they were dropped."""

    size: int
    reason: str


@dataclass(frozen=True)
class Invalid:
    """A message that must be answered with a JSON-RPC error (id None: not known)."""

    code: int
    message: str
    id: MsgId | None = None

    def response(self) -> dict[str, object]:
        return {
            "jsonrpc": "2.0",
            "id": self.id,
            "error": {"code": self.code, "message": self.message},
        }


class Frames:
    """Message bodies cut from a stream by their Content-Length, resynchronising after errors."""

    def __init__(self, stream: ByteStream) -> None:
        self.stream = stream
        self.buf = bytearray()
        self.eof = False

    def _fill(self, want: int = 0) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(max(CHUNK, want - len(self.buf)))
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _line(self) -> bytes | None:
        """The next line with its newline (the rest of the input at its end); None at EOF."""
        start = 0
        while (end := self.buf.find(b"\n", start)) < 0:
            start = len(self.buf)
            if not self._fill():
                if not self.buf:
                    return None
                end = len(self.buf) - 1
                break
        line = bytes(self.buf[: end + 1])
        del self.buf[: end + 1]
        return line

    def _take(self, n: int) -> bytes | None:
        while len(self.buf) < n:
            if not self._fill(n):
                return None
        body = bytes(self.buf[:n])
        del self.buf[:n]
        return body

    def unread(self, data: bytes) -> None:
        """Put bytes back to be read again (a body that was not a message)."""
        self.buf[:0] = data

    def __iter__(self) -> Iterator[bytes | Skipped]:
        skipped = 0
        while True:
            line = self._line()
            if line is None:
                if skipped:
                    yield Skipped(skipped, "bytes before end of input are not a message")
                return
            at = line.lower().find(HEADER)
            if at < 0:
                skipped += len(line.strip())
                continue
            skipped += len(line[:at].strip())
            if skipped:
                yield Skipped(skipped, "bytes that are not a message were skipped")
                skipped = 0
            value = line[at + len(HEADER) :].strip()
            # The other header lines, up to the blank line that ends them.
            ended = False
            while (header := self._line()) is not None:
                if not header.strip():
                    ended = True
                    break
                if b":" not in header or HEADER in header.lower():
                    self.unread(header)  # a message starts without the blank line: resync
                    break
            if not ended:
                if header is not None:
                    yield Skipped(len(line), "header block without its blank line")
                continue
            if not (value.isdigit() and value.isascii()) or int(value) > MAX_BODY:
                shown = value[:40].decode("ascii", "replace")
                yield Skipped(len(line), f"unusable Content-Length {shown!r}: message skipped")
                continue
            body = self._take(int(value))
            if body is None:
                yield Skipped(len(self.buf), "end of input inside a message")
                return
            yield body


def messages(stream: ByteStream) -> Iterator[dict | Invalid | Skipped]:
    """JSON-RPC messages (as parsed JSON objects), errors to answer, and skipped bytes."""
    frames = Frames(stream)
    for frame in frames:
        if isinstance(frame, Skipped):
            yield frame
            continue
        try:
            data = json.loads(frame)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            frames.unread(frame)  # a short Content-Length: the next header is in there
            reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
            yield Invalid(PARSE_ERROR, f"Parse error: not a JSON message ({reason})")
            continue
        problem = envelope_problem(data)
        yield problem if problem is not None else data


def _usable_id(data: dict) -> MsgId | None:
    ident = data.get("id")
    if isinstance(ident, str) or (isinstance(ident, int) and not isinstance(ident, bool)):
        return ident
    return None


def envelope_problem(data: object) -> Invalid | None:
    """Why parsed JSON is not a JSON-RPC 2.0 message LSP allows; None if it is one."""
    if not isinstance(data, dict):
        return Invalid(INVALID_REQUEST, "Invalid request: a message must be a JSON object")
    if "method" not in data and ("result" in data or "error" in data):
        return None  # a response to one of our requests: never answered, whatever its shape
    ident = _usable_id(data)
    if "id" in data and ident is None:
        return Invalid(INVALID_REQUEST, "Invalid request: id must be a number or a string")
    if data.get("jsonrpc") != "2.0":
        return Invalid(INVALID_REQUEST, 'Invalid request: "jsonrpc" must be "2.0"', ident)
    if not isinstance(data.get("method"), str):
        return Invalid(INVALID_REQUEST, "Invalid request: method must be a string", ident)
    params = data.get("params")
    if params is not None and not isinstance(params, dict | list):
        return Invalid(INVALID_PARAMS, "Invalid params: must be an object or an array", ident)
    return None
