# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Transport to the external ERP: HTTP/JSON calls and file drops.

Errors are sorted into two kinds, on which the jobs decide: a transient
error (timeout, refused connection, 5xx, 429) is retried with backoff, a
rejection (other 4xx) is final and carries the ERP's answer."""

import csv
import hashlib
import hmac
import io
import json
from pathlib import Path

import requests
from lxml import etree

LIST_FIELDS = ("lines",)


class ErpError(Exception):
    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


class ErpTransientError(ErpError):
    """The ERP could not be reached or failed on its side: try again later."""


class ErpRejectedError(ErpError):
    """The ERP refused the message (4xx): sending it again will not help."""


def sign(secret, timestamp, body):
    """The HMAC-SHA256 signature of a webhook: hex of ``timestamp.body``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class HttpClient:
    def __init__(self, base_url, auth_type="none", token=None, username=None, password=None,
                 connect_timeout=3.0, read_timeout=10.0, session=None):  # fmt: skip
        self.base_url = (base_url or "").rstrip("/")
        self.headers = {"Accept": "application/json"}
        self.auth = None
        if auth_type == "token" and token:
            self.headers["Authorization"] = f"Bearer {token}"
        elif auth_type == "basic" and username:
            self.auth = (username, password or "")
        self.timeout = (connect_timeout or 3.0, read_timeout or 10.0)
        self.session = session or requests

    def request(self, method, path, params=None, payload=None, headers=None):
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=payload,
                headers={**self.headers, **(headers or {})},
                auth=self.auth,
                timeout=self.timeout,
            )
        except requests.Timeout as exc:
            raise ErpTransientError(f"timeout: {url}") from exc
        except requests.RequestException as exc:
            raise ErpTransientError(f"connection failed: {url}: {exc.__class__.__name__}") from exc
        body = response.text[:4000]
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise ErpTransientError(
                f"HTTP {response.status_code}", status=response.status_code, body=body
            )
        if response.status_code >= 400:
            raise ErpRejectedError(
                f"HTTP {response.status_code}", status=response.status_code, body=body
            )
        try:
            data = response.json() if body else {}
        except ValueError as exc:
            raise ErpTransientError(
                "the answer is not JSON", status=response.status_code, body=body
            ) from exc
        return response.status_code, data


def _cast_item(item):
    for key in ("quantity", "price_unit"):
        if item.get(key) not in (None, ""):
            item[key] = float(item[key])
    if isinstance(item.get("serials"), str):
        item["serials"] = item["serials"].split()
    if isinstance(item.get("deleted"), str):
        item["deleted"] = item["deleted"].lower() in ("1", "true", "yes")
    if isinstance(item.get("is_company"), str):
        item["is_company"] = item["is_company"].lower() in ("1", "true", "yes")
    return item


def read_csv(content):
    """Items of a CSV export; invoice rows carry ``line_*`` columns, one row per
    line, grouped by invoice ``id``."""
    items = {}
    for row in csv.DictReader(io.StringIO(content)):
        row = {key: value for key, value in row.items() if key}
        line = {key[5:]: row.pop(key) for key in list(row) if key.startswith("line_")}
        item = items.setdefault(row["id"], _cast_item(row))
        if line.get("id"):
            item.setdefault("lines", []).append(_cast_item(line))
    return list(items.values())


def read_xml(content):
    """Items of an XML export: each child of the root is an item whose
    attributes are its fields; ``<line>`` children are its lines."""
    root = etree.fromstring(content.encode() if isinstance(content, str) else content)
    items = []
    for element in root:
        if not isinstance(element.tag, str):
            continue
        item = dict(element.attrib)
        lines = [_cast_item(dict(line.attrib)) for line in element if line.tag == "line"]
        if lines:
            item["lines"] = lines
        items.append(_cast_item(item))
    return items


def read_drop_files(folder, entity, file_format):
    """(name, sha1, items) of the files ``<entity>*.<format>`` in ``folder``, by name."""
    path = Path(folder)
    if not path.is_dir():
        raise ErpTransientError(f"folder not found: {folder}")
    result = []
    for file in sorted(path.glob(f"{entity}*.{file_format}")):
        raw = file.read_bytes()
        content = raw.decode("utf-8-sig")
        items = read_csv(content) if file_format == "csv" else read_xml(raw)
        result.append((file.name, hashlib.sha1(raw).hexdigest(), items))
    return result


def dumps(data):
    return json.dumps(data, sort_keys=True, default=str)
