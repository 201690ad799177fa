"""A stand-in Nominatim server on 127.0.0.1: answers /search like the real one, counts requests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# postalcode -> (lat, lon, display name), as Nominatim returns them (strings).
KNOWN = {"1000": ("50.8467", "4.3525", "Bruxelles, Belgique")}


@dataclass
class FakeNominatim:
    url: str
    requests: list[dict[str, list[str]]] = field(default_factory=list)
    failing: bool = False


@contextmanager
def fake_nominatim() -> Iterator[FakeNominatim]:
    state = FakeNominatim(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            state.requests.append(query)
            if state.failing:
                self.send_error(500)
                return
            if parts.path != "/search":
                self.send_error(404)
                return
            code = query.get("postalcode", [""])[0]
            answer = []
            if code in KNOWN:
                lat, lon, name = KNOWN[code]
                answer = [{"place_id": 1, "lat": lat, "lon": lon, "display_name": name}]
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
