"""A small ERP on loopback for the tests and the benchmark of complaint_erp_sync.

It keeps its own customers, products, serial numbers and invoices, lists them
in pages (``GET /api/<entity>?since=&after=&limit=``), applies the messages
Odoo posts (``POST /api/messages``, once per ``Idempotency-Key``) and pushes
signed notifications to Odoo's webhook. It can be told to misbehave:

- ``fail("500")``: answer 500 Internal Server Error;
- ``fail("timeout")``: apply, then answer later than the client waits;
- ``fail("drop")``: close the connection without answering;
- ``fail("lost")``: apply the message, then close the connection (answer lost);
- ``fail("422")``: refuse the message (4xx);
- ``fail("repeat")``: deliver a page together with the previous page's items;
- ``stop()`` / ``start()``: refuse connections, come back on the same port;
- ``die_after(n)``: stop in the middle of a run, after n more requests;
- ``push(..., twice=True)`` and ``push_many(..., order="reversed"|"shuffle")``:
  deliver notifications twice or out of order.

Run it alone for the demo database: ``python tests/erp_simulator.py 8899``.
"""

import hashlib
import hmac
import json
import random
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from urllib.request import Request, urlopen

ENTITIES = ("partners", "products", "lots", "invoices")


def sign(secret, timestamp, body):
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # dropped connections are the point of some faults


class ErpSimulator:
    def __init__(self, port=0, token="sim-token", slow_seconds=1.5):
        self.port = port
        self.token = token
        self.slow_seconds = slow_seconds
        self.data = {entity: {} for entity in ENTITIES}
        self.messages = {}  # idempotency key -> (status, answer)
        self.applied = []  # payloads applied, in order
        self.requests = []  # (method, path, query, idempotency key)
        self.faults = []  # [(kind, path prefix)]
        self.reject_numbers = set()  # case numbers the ERP refuses (4xx)
        self.lock = threading.RLock()
        self._clock = datetime(2026, 1, 1, tzinfo=UTC)
        self._last_page = {}
        self._die_after = None
        self._server = None
        self._thread = None

    # ------------------------------------------------------------------
    # life
    # ------------------------------------------------------------------
    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self):
        return self._server is not None

    def start(self):
        if self._server:
            return self
        self._server = _Server(("127.0.0.1", self.port), self._handler_class())
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        server, self._server = self._server, None
        if server:
            server.shutdown()
            server.server_close()
            self._thread.join(5)

    def die_after(self, count):
        """Stop (refusing connections) once ``count`` more requests came in."""
        with self.lock:
            self._die_after = count

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ------------------------------------------------------------------
    # data
    # ------------------------------------------------------------------
    def tick(self):
        with self.lock:
            self._clock += timedelta(seconds=1)
            return self._clock.isoformat()

    def put(self, entity, item_id, **fields):
        """Create or change a record; it gets a new change date."""
        with self.lock:
            item = dict(self.data[entity].get(str(item_id), {}))
            item.update(fields, id=str(item_id), updated_at=self.tick(), deleted=False)
            self.data[entity][str(item_id)] = item
            return dict(item)

    def delete(self, entity, item_id):
        """Delete a record: incremental listings show it as deleted."""
        with self.lock:
            item = self.data[entity][str(item_id)]
            item.update(deleted=True, updated_at=self.tick())
            return dict(item)

    def purge(self, entity, item_id):
        """Forget a record (a full listing no longer has it)."""
        with self.lock:
            self.data[entity].pop(str(item_id), None)

    def seed(self, invoices=10, lines=3, customers=None, products=5, prefix=""):
        """Customers, serial-tracked and plain products, invoices of ``lines``
        lines whose tracked lines carry a serial each."""
        customers = customers or max(1, invoices // 10)
        for number in range(customers):
            self.put("partners", f"{prefix}C{number}", name=f"Customer {prefix}{number}",
                     email=f"c{number}@erp.example.com", is_company=True)  # fmt: skip
        for number in range(products):
            self.put("products", f"{prefix}P{number}", name=f"Product {prefix}{number}",
                     code=f"{prefix}SKU-{number}", tracking="serial" if number % 2 == 0 else "none",
                     price=10.0 + number)  # fmt: skip
        for number in range(invoices):
            invoice_lines = []
            for line in range(lines):
                product = (number + line) % products
                invoice_lines.append(
                    {
                        "id": f"{prefix}I{number}-{line}",
                        "product_id": f"{prefix}P{product}",
                        "name": f"Product {prefix}{product}",
                        "quantity": 1.0,
                        "price_unit": 10.0 + product,
                        "serials": [f"{prefix}SN{number}-{line}"] if product % 2 == 0 else [],
                    }
                )
            self.put("invoices", f"{prefix}I{number}", number=f"ERP/{prefix}{number:06d}",
                     partner_id=f"{prefix}C{number % customers}", date="2026-01-15",
                     lines=invoice_lines)  # fmt: skip

    # ------------------------------------------------------------------
    # faults
    # ------------------------------------------------------------------
    def fail(self, kind, times=1, path=""):
        with self.lock:
            self.faults.extend([(kind, path)] * times)

    def _take_fault(self, path):
        with self.lock:
            for position, (kind, prefix) in enumerate(self.faults):
                if path.startswith(prefix):
                    del self.faults[position]
                    return kind
        return None

    # ------------------------------------------------------------------
    # pushes to Odoo
    # ------------------------------------------------------------------
    def push(self, url, secret, event, data, message_id=None, twice=False, timestamp=None,
             opener=None):  # fmt: skip
        """POST a signed notification to Odoo; returns [(status, answer)]."""
        body = json.dumps(
            {"id": message_id or f"EVT-{self.tick()}", "type": event, "data": data}
        ).encode()
        timestamp = int(timestamp if timestamp is not None else time.time())
        headers = {
            "Content-Type": "application/json",
            "X-Erp-Timestamp": str(timestamp),
            "X-Erp-Signature": "sha256=" + sign(secret, timestamp, body),
        }
        answers = []
        for __ in range(2 if twice else 1):
            if opener:
                answers.append(opener(url, body, headers))
                continue
            request = Request(url, data=body, headers=headers, method="POST")
            try:
                with urlopen(request, timeout=10) as response:
                    answers.append((response.status, json.loads(response.read() or b"{}")))
            except Exception as exc:  # HTTPError carries the status
                answers.append((getattr(exc, "code", None), {"error": str(exc)}))
        return answers

    def push_many(self, url, secret, events, order="as_is", seed=7, **kwargs):
        """Push ``events`` [(event, data, message id)] in order, reversed or shuffled."""
        events = list(events)
        if order == "reversed":
            events.reverse()
        elif order == "shuffle":
            random.Random(seed).shuffle(events)
        return [self.push(url, secret, event, data, message_id, **kwargs)
                for event, data, message_id in events]  # fmt: skip

    # ------------------------------------------------------------------
    # HTTP
    # ------------------------------------------------------------------
    def _page(self, entity, query):
        limit = int(query.get("limit", ["100"])[0])
        since = query.get("since", [None])[0]
        after = query.get("after", [None])[0]
        with self.lock:
            items = sorted(
                self.data[entity].values(), key=lambda item: (item["updated_at"], item["id"])
            )
            if since:
                items = [item for item in items if item["updated_at"] >= since]
            else:
                items = [item for item in items if not item.get("deleted")]
            if after:
                stamp, __, item_id = after.partition("|")
                items = [
                    item for item in items if (item["updated_at"], item["id"]) > (stamp, item_id)
                ]
            page = [dict(item) for item in items[:limit]]
        following = None
        if len(items) > limit:
            following = f"{page[-1]['updated_at']}|{page[-1]['id']}"
        return page, following

    def _apply(self, key, payload):
        with self.lock:
            if key in self.messages:
                answer = self.messages[key][1]
                return 200, {**answer, "duplicate": True}
            number = (payload.get("case") or {}).get("number")
            if number in self.reject_numbers:
                return 422, {"error": f"case {number} is refused by the ERP"}
            answer = {"id": f"MSG-{len(self.applied) + 1:06d}", "status": "applied"}
            self.applied.append({"key": key, **payload})
            self.messages[key] = (201, answer)
            return 201, answer

    def _handler_class(self):
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _drop(self):
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass

            def _count(self):
                with simulator.lock:
                    if simulator._die_after is None:
                        return False
                    simulator._die_after -= 1
                    if simulator._die_after > 0:
                        return False
                    simulator._die_after = None
                threading.Thread(target=simulator.stop, daemon=True).start()
                return True

            def _handle(self, method):
                parsed = urlparse(self.path)
                query = parse_qs(parsed.query)
                key = self.headers.get("Idempotency-Key")
                with simulator.lock:
                    simulator.requests.append((method, parsed.path, query, key))
                if simulator._die_after is not None and self._count():
                    return self._drop()
                if (
                    simulator.token
                    and self.headers.get("Authorization") != f"Bearer {simulator.token}"
                ):
                    return self._answer(401, {"error": "bad token"})
                fault = simulator._take_fault(parsed.path)
                if fault == "500":
                    return self._answer(500, {"error": "internal error"})
                if fault == "drop":
                    return self._drop()
                if fault == "422":
                    return self._answer(422, {"error": "refused"})
                parts = [part for part in parsed.path.split("/") if part]
                if method == "GET" and parts == ["api", "ping"]:
                    status, data = 200, {"status": "ok"}
                elif method == "GET" and len(parts) == 2 and parts[1] in ENTITIES:
                    items, following = simulator._page(parts[1], query)
                    if fault == "repeat":
                        items = simulator._last_page.get(parts[1], []) + items
                    simulator._last_page[parts[1]] = items
                    status, data = 200, {"items": items, "next": following}
                elif method == "GET" and len(parts) == 3 and parts[1] in ENTITIES:
                    item = simulator.data[parts[1]].get(parts[2])
                    status, data = (200, dict(item)) if item else (404, {"error": "not found"})
                elif method == "POST" and parts == ["api", "messages"]:
                    length = int(self.headers.get("Content-Length") or 0)
                    try:
                        payload = json.loads(self.rfile.read(length) or b"{}")
                    except ValueError:
                        return self._answer(400, {"error": "not JSON"})
                    if not key:
                        return self._answer(400, {"error": "Idempotency-Key required"})
                    status, data = simulator._apply(key, payload)
                    if fault == "lost":
                        return self._drop()
                else:
                    status, data = 404, {"error": "not found"}
                if fault == "timeout":
                    time.sleep(simulator.slow_seconds)
                return self._answer(status, data)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        return Handler


if __name__ == "__main__":
    simulator = ErpSimulator(port=int(sys.argv[1]) if len(sys.argv) > 1 else 8899,
                             token="demo-erp-token")  # fmt: skip
    simulator.seed(invoices=20)
    simulator.start()
    print(f"ERP simulator on {simulator.url} (token demo-erp-token); Ctrl+C stops it")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        simulator.stop()
