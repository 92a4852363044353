"""A small in-process emulator of the Kubernetes API for tests, over real HTTP.

It serves what a read-only client needs: discovery (/api, /apis, group and version resource
lists), list endpoints (cluster-wide, all namespaces, one namespace) with limit/continue
pagination and equality label selectors, and gets by name. It records every request (method,
path, query), answers any method other than GET with 405, checks a bearer token when given one,
answers 403 to what the RBAC rules it is given do not allow (get, list, watch, resourceNames),
and can be told to answer a path with an error status (403, 404, 500...) or to answer it
slowly. It can also misbehave as servers were found to: trickle an answer a byte at a time, page
a list without end, or quote the credentials it was sent. With tls=True it serves HTTPS with the
self-signed certificate of tests/tls (a client reaches it with insecure-skip-tls-verify, or with
that certificate as its certificate authority).
"""

from __future__ import annotations

import base64
import json
import re
import ssl
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

TLS = Path(__file__).resolve().parent / "tls"
CERT, KEY = TLS / "emulator-cert.pem", TLS / "emulator-key.pem"


@dataclass(frozen=True)
class Kind:
    group: str  # "" for core
    version: str
    kind: str
    plural: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


KINDS = [
    Kind("", "v1", "Service", "services", True),
    Kind("", "v1", "Node", "nodes", False),
    Kind("", "v1", "Namespace", "namespaces", False),
    Kind("", "v1", "Secret", "secrets", True),
    Kind("", "v1", "ServiceAccount", "serviceaccounts", True),
    Kind("batch", "v1", "Job", "jobs", True),
    *(
        Kind("rbac.authorization.k8s.io", "v1", kind, kind.lower() + "s", kind.startswith("Role"))
        for kind in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
    ),
    *(
        Kind("metallb.io", "v1beta1", kind, plural, True)
        for kind, plural in (
            ("IPAddressPool", "ipaddresspools"),
            ("L2Advertisement", "l2advertisements"),
            ("BGPAdvertisement", "bgpadvertisements"),
            ("BFDProfile", "bfdprofiles"),
            ("Community", "communities"),
            ("ConfigurationState", "configurationstates"),
            ("ServiceL2Status", "servicel2statuses"),
            ("ServiceBGPStatus", "servicebgpstatuses"),
        )
    ),
    Kind("metallb.io", "v1beta2", "BGPPeer", "bgppeers", True),
    Kind("cluster.alauda.io", "v1alpha1", "ClusterPluginInstance", "clusterplugininstances", False),
]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None


def status_body(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


REASONS = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    410: "Expired",
    500: "InternalError",
}


class Emulator:
    """`with Emulator(objects) as api:` serves at api.url until the block ends."""

    def __init__(
        self,
        objects: Iterable[dict[str, Any]] = (),
        *,
        token: str | None = None,
        page_size: int | None = None,
        kinds: Iterable[Kind] = KINDS,
        rbac: Iterable[tuple[str | None, list[dict[str, Any]]]] | None = None,
        user: str = "system:serviceaccount:default:test",
        tls: bool = False,
    ) -> None:
        self.kinds = list(kinds)
        # (namespace of a Role, or None for a ClusterRole, its rules); None: everything allowed
        self.rbac = None if rbac is None else list(rbac)
        self.user = user
        self.tls = tls
        self.token = token
        self.page_size = page_size  # the server's own page limit (a server may send fewer)
        self.objects: dict[str, list[dict[str, Any]]] = {}
        self.requests: list[Request] = []
        self.faults: list[tuple[re.Pattern[str], int, str]] = []
        self.delays: list[tuple[re.Pattern[str], float]] = []
        self.trickles: list[tuple[re.Pattern[str], float, bool]] = []
        self.endless_lists: list[tuple[re.Pattern[str], str]] = []
        self.echoes: list[tuple[re.Pattern[str], int]] = []
        self.pages_served = 0
        self.smuggled: list[tuple[re.Pattern[str], dict[str, Any]]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.load(objects)
        self.server: ThreadingHTTPServer | None = None

    # --- setup ---------------------------------------------------------------------------------

    def load(self, objects: Iterable[dict[str, Any]]) -> None:
        for obj in objects:
            kind = self.kind_of(obj)
            self.objects.setdefault(kind.plural + "." + kind.group, []).append(obj)

    def kind_of(self, obj: dict[str, Any]) -> Kind:
        for k in self.kinds:
            if k.kind == obj.get("kind") and k.api_version == obj.get("apiVersion"):
                return k
        raise ValueError(f"the emulator does not serve {obj.get('apiVersion')} {obj.get('kind')}")

    def fail(self, path: str, status: int, message: str = "") -> None:
        """Answer GETs of paths matching the regular expression `path` with `status`."""
        self.faults.append((re.compile(path), status, message or f"emulated {status}"))

    def slow(self, path: str, seconds: float) -> None:
        """Wait `seconds` before answering paths matching `path`."""
        self.delays.append((re.compile(path), seconds))

    def trickle(self, path: str, seconds_per_byte: float = 1.0, *, body_only: bool = False) -> None:
        """Send the whole answer to paths matching `path` (status line, headers, body; with
        body_only, the body) one byte every `seconds_per_byte`: the socket is never silent for
        long, the answer never ends."""
        self.trickles.append((re.compile(path), seconds_per_byte, body_only))

    def endless(self, path: str, mode: str) -> None:
        """Answer lists at `path` with a continue token every time. mode: "empty" (no items, a
        new token), "repeat" (the same items and token), "same" (the same items, a new token),
        "fresh" (a new Node and a new token each page)."""
        self.endless_lists.append((re.compile(path), mode))

    def echo(self, path: str, status: int = 403) -> None:
        """Answer `path` with `status` and a message that quotes the Authorization header, and
        the user name and password inside it when it is Basic."""
        self.echoes.append((re.compile(path), status))

    def smuggle(self, path: str, obj: dict[str, Any]) -> None:
        """Add `obj` as it is to the items of the lists at `path` (whatever its kind or
        namespace): a server, or a proxy, that answers with the wrong objects."""
        self.smuggled.append((re.compile(path), obj))

    def trickled(self, path: str) -> tuple[float, bool] | None:
        return next(((s, b) for p, s, b in self.trickles if p.search(path)), None)

    # --- lifecycle -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host!s}:{port}"

    def __enter__(self) -> Emulator:
        emulator = self

        class Handler(_Handler):
            api = emulator

        self.server = _Server(("127.0.0.1", 0), Handler)
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(CERT, KEY)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()

    def methods(self) -> set[str]:
        return {r.method for r in self.requests}

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    # --- answers -------------------------------------------------------------------------------

    def answer(self, method: str, url: str, authorization: str | None) -> tuple[int, Any]:
        parts = urlsplit(url)
        path, query = parts.path, parse_qs(parts.query)
        with self.lock:
            self.requests.append(Request(method, path, query, authorization))
        for pattern, seconds in self.delays:
            if pattern.search(path) and self.stop.wait(seconds):
                return 503, status_body(503, "ServiceUnavailable", "shutting down")
        if method != "GET":
            return 405, status_body(405, "MethodNotAllowed", f"{method} is not allowed")
        if self.token is not None and authorization != f"Bearer {self.token}":
            return 401, status_body(401, "Unauthorized", "Unauthorized")
        for pattern, status in self.echoes:
            if pattern.search(path):
                return status, status_body(
                    status, REASONS.get(status, "Failure"), self.quoted(authorization)
                )
        for pattern, status, message in self.faults:
            if pattern.search(path):
                return status, status_body(status, REASONS.get(status, "Failure"), message)
        for pattern, mode in self.endless_lists:
            if pattern.search(path):
                return 200, self.endless_page(mode)
        denied = self.forbidden(path, query)
        if denied is not None:
            return 403, status_body(403, "Forbidden", denied)
        return self.route(path, query)

    def forbidden(self, path: str, query: dict[str, list[str]]) -> str | None:
        """The API server's message when the rules given as `rbac` do not allow a resource
        request (discovery is always allowed, as system:discovery grants it)."""
        if self.rbac is None:
            return None
        segments = [s for s in path.split("/") if s]
        if segments[:1] == ["api"] and len(segments) >= 3:
            group, rest = "", segments[2:]
        elif segments[:1] == ["apis"] and len(segments) >= 4:
            group, rest = segments[1], segments[3:]
        else:
            return None
        namespace = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            namespace, rest = rest[1], rest[2:]
        resource, name = rest[0], rest[1] if len(rest) > 1 else None
        verb = "get" if name else "watch" if query.get("watch") else "list"
        for role_namespace, rules in self.rbac:
            if role_namespace is not None and role_namespace != namespace:
                continue
            for rule in rules:
                names = rule.get("resourceNames")
                if (
                    group in rule.get("apiGroups", [])
                    and resource in rule.get("resources", [])
                    and verb in rule.get("verbs", [])
                    and (not names or name in names)
                ):
                    return None
        what = f"{resource}.{group}" if group else resource
        where = f' in the namespace "{namespace}"' if namespace else " at the cluster scope"
        subject = f'{what} "{name}" is forbidden' if name else f"{what} is forbidden"
        return (
            f'{subject}: User "{self.user}" cannot {verb} resource "{resource}" in API group '
            f'"{group}"{where}'
        )

    @staticmethod
    def quoted(authorization: str | None) -> str:
        text = f"denied for Authorization: {authorization}"
        if authorization and authorization.startswith("Basic "):
            user, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
            text += f"; user {user} password {password} (password={password})"
        return text

    def endless_page(self, mode: str) -> dict[str, Any]:
        with self.lock:
            self.pages_served += 1
            number = self.pages_served
        items = [] if mode == "empty" else [{"metadata": {"name": "node-1"}}]
        if mode == "fresh":
            items = [{"metadata": {"name": f"node-{number}"}}]
        token = "same-token" if mode == "repeat" else f"token-{number}"
        return {
            "kind": "NodeList",
            "apiVersion": "v1",
            "metadata": {"continue": token},
            "items": items,
        }

    def route(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        segments = [s for s in path.split("/") if s]
        if segments == ["api"]:
            return 200, {
                "kind": "APIVersions",
                "versions": ["v1"],
                "serverAddressByClientCIDRs": [],
            }
        if segments == ["apis"]:
            return 200, self.group_list()
        if segments[:1] == ["api"] and len(segments) >= 2:
            group, version, rest = "", segments[1], segments[2:]
        elif segments[:1] == ["apis"] and len(segments) >= 3:
            group, version, rest = segments[1], segments[2], segments[3:]
        else:
            return self.not_found(path)
        kinds = [k for k in self.kinds if k.group == group and k.version == version]
        if not kinds:
            return self.not_found(path)
        if not rest:
            return 200, self.resource_list(group, version, kinds)
        namespace = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            namespace, rest = rest[1], rest[2:]
        kind = next((k for k in kinds if k.plural == rest[0]), None)
        if kind is None or len(rest) > 2 or (namespace is not None and not kind.namespaced):
            return self.not_found(path)
        items = [
            o
            for o in self.objects.get(kind.plural + "." + kind.group, [])
            if namespace is None or o.get("metadata", {}).get("namespace") == namespace
        ]
        items += [o for pattern, o in self.smuggled if pattern.search(path)]
        selector = query.get("labelSelector", [""])[0]
        if selector:
            items = [o for o in items if _labels_match(o, selector)]
        if len(rest) == 2:
            found = [o for o in items if o.get("metadata", {}).get("name") == rest[1]]
            if not found:
                return 404, status_body(
                    404, "NotFound", f'{kind.plural}.{kind.group} "{rest[1]}" not found'
                )
            return 200, found[0]
        return self.list_page(kind, items, query)

    def list_page(
        self, kind: Kind, items: list[dict[str, Any]], query: dict[str, list[str]]
    ) -> tuple[int, Any]:
        items = sorted(
            items,
            key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"].get("name", "")),
        )
        start = 0
        token = query.get("continue", [""])[0]
        if token:
            try:
                start = int(json.loads(base64.b64decode(token))["start"])
            except (ValueError, KeyError, TypeError):
                return 410, status_body(410, "Expired", "the continue token is not valid")
        limit = int(query.get("limit", ["0"])[0] or 0)
        limits = [x for x in (limit, self.page_size) if x and x > 0]
        page = items[start : start + min(limits)] if limits else items[start:]
        meta: dict[str, Any] = {"resourceVersion": "1000"}
        end = start + len(page)
        if end < len(items):
            meta["continue"] = base64.b64encode(json.dumps({"start": end}).encode()).decode()
            meta["remainingItemCount"] = len(items) - end
        if kind.group == "":  # the API server leaves apiVersion/kind out of built-in list items
            page = [{k: v for k, v in o.items() if k not in ("apiVersion", "kind")} for o in page]
        return 200, {
            "kind": f"{kind.kind}List",
            "apiVersion": kind.api_version,
            "metadata": meta,
            "items": page,
        }

    def group_list(self) -> dict[str, Any]:
        groups: dict[str, list[str]] = {}
        for k in self.kinds:
            if k.group and k.version not in groups.setdefault(k.group, []):
                groups[k.group].append(k.version)
        return {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [
                {
                    "name": g,
                    "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
                    "preferredVersion": {"groupVersion": f"{g}/{vs[-1]}", "version": vs[-1]},
                }
                for g, vs in sorted(groups.items())
            ],
        }

    def resource_list(self, group: str, version: str, kinds: list[Kind]) -> dict[str, Any]:
        return {
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": f"{group}/{version}" if group else version,
            "resources": [
                {
                    "name": k.plural,
                    "singularName": k.kind.lower(),
                    "namespaced": k.namespaced,
                    "kind": k.kind,
                    "verbs": ["get", "list"],
                }
                for k in kinds
            ],
        }

    @staticmethod
    def not_found(path: str) -> tuple[int, Any]:
        return 404, status_body(404, "NotFound", "the server could not find the requested resource")


def _labels_match(obj: dict[str, Any], selector: str) -> bool:
    """Equality selectors only (`a=b,c==d`), as the readiness gate sends them."""
    labels = obj.get("metadata", {}).get("labels", {})
    for term in selector.split(","):
        name, _, value = term.replace("==", "=").partition("=")
        if labels.get(name.strip()) != value.strip():
            return False
    return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout test) is not an error of the emulator


class _Handler(BaseHTTPRequestHandler):
    api: Emulator
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, body = self.api.answer(self.command, self.path, self.headers.get("Authorization"))
        data = json.dumps(body).encode()
        trickled = self.api.trickled(urlsplit(self.path).path)
        if trickled is not None:
            self._trickle(status, data, *trickled)
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _trickle(self, status: int, data: bytes, interval: float, body_only: bool) -> None:
        head = (
            f"HTTP/1.1 {status} {REASONS.get(status, 'OK')}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        ).encode()
        if body_only:
            self.wfile.write(head)
            self.wfile.flush()
            head = b""
        for byte in head + data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if self.api.stop.wait(interval):
                break
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass
