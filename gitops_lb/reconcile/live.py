"""The live state from the Kubernetes API, read-only: GET requests only.

The only module that imports `kubernetes` (the reconcile command imports it lazily). The
credentials are found as kubectl finds them: --kubeconfig, else $KUBECONFIG (a path list),
else ~/.kube/config, else the in-cluster service account. Lists are read page by page
(limit/continue). Every request is never retried and must be answered completely (connection,
headers and body) within the timeout, and the whole read within TOTAL_FACTOR timeouts; once the
API server does not answer in time (or refuses the connection, or rejects the credentials)
nothing more is requested and the kinds not read yet are reported unreadable. A 403 or 5xx
answer, a list that pages without progress or holds objects of another kind or namespace,
makes only that kind unreadable. No message ever carries a token, password or key from the
kubeconfig, nor the user info of a URL.

What happened is said once (Unreachable, one line naming the server): a server that could not
be reached at all (refused, no answer in time, rejected credentials before anything was read),
and a server that is not a Kubernetes API server (the first 404 on a list leads to one GET of
the core API's discovery document, /api; a 404 there, or on the core API's own lists, means
the URL points elsewhere). With `insecure-skip-tls-verify`, urllib3's InsecureRequestWarning
(one per request) is silenced during the read and one note says that TLS verification is off.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from gitops_lb.errors import GitopsLbError
from gitops_lb.reconcile.credentials import (
    Scrubber,
    captured_logs,
    kubeconfig_paths,
    kubeconfig_secrets,
)
from gitops_lb.reconcile.state import PLUGIN, PLUGIN_NAME, LiveState, Resource, resources
from gitops_lb.secrecy import shown, url_userinfo, without_userinfo

# exit status 3 (could not run) when the Kubernetes client is not installed
MISSING_CLIENT = (
    "reading a cluster through its API needs the Kubernetes client, which is not installed: "
    "pip install 'gitops-lb[api]' (or compare with dumps: --live FILE from kubectl get -o yaml)"
)
try:  # the optional `api` extra (pyproject.toml): only reading a cluster's API needs it
    from kubernetes import client, config
    from kubernetes.client.exceptions import ApiException
    from kubernetes.config.config_exception import ConfigException
    from urllib3.exceptions import HTTPError, InsecureRequestWarning, NewConnectionError
    from urllib3.exceptions import TimeoutError as Urllib3Timeout
except ImportError as exc:
    raise GitopsLbError(f"{MISSING_CLIENT} ({exc})") from None

DEFAULT_TIMEOUT = 30.0
PAGE_SIZE = 500
MAX_PAGES = 10_000  # 5 million objects of one kind at 500 a page
TOTAL_FACTOR = 10  # the whole read of the live state ends within 10 x --timeout
REQUEST_THREAD = "gitops-lb-request"


class Unreachable(GitopsLbError):
    """Nothing could be read from the API server, for one reason said in one line."""


@dataclass(frozen=True, slots=True)
class Server:
    """Where an ApiClient points, for messages: the URL (no user info) and how it was found."""

    url: str
    how: str  # "context prod", "in-cluster service account"
    insecure: bool = False  # insecure-skip-tls-verify

    def __str__(self) -> str:
        return f"{self.how} ({self.url})"


class _Quiet:
    """Who is silencing InsecureRequestWarning now (see quiet_tls)."""

    lock = threading.Lock()
    depth = 0
    saved: warnings.catch_warnings | None = None


@contextlib.contextmanager
def quiet_tls() -> Iterator[None]:
    """Silence urllib3's InsecureRequestWarning while the block runs. The reads of a fleet run
    in several threads at once and `warnings.catch_warnings` is not safe across threads, so
    the first block to start installs the filter and the last to end restores the filters."""
    with _Quiet.lock:
        if _Quiet.depth == 0:
            _Quiet.saved = warnings.catch_warnings()
            _Quiet.saved.__enter__()
            warnings.filterwarnings("ignore", category=InsecureRequestWarning)
        _Quiet.depth += 1
    try:
        yield
    finally:
        with _Quiet.lock:
            _Quiet.depth -= 1
            if _Quiet.depth == 0 and _Quiet.saved is not None:
                _Quiet.saved.__exit__(None, None, None)
                _Quiet.saved = None


@dataclass(frozen=True, slots=True)
class Connection:
    kubeconfig: str | None = None
    context: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    page_size: int = PAGE_SIZE


def connect(conn: Connection, scrub: Scrubber) -> tuple[Any, Server]:
    """An ApiClient and where it points; its secrets go to `scrub`."""
    paths = kubeconfig_paths(conn.kubeconfig)
    configuration = client.Configuration()
    try:
        if paths is None:
            if not os.environ.get("KUBERNETES_SERVICE_HOST"):
                raise GitopsLbError(
                    "no cluster credentials: pass --kubeconfig, set KUBECONFIG, create "
                    "~/.kube/config, or run inside a cluster (or give --live FILE)"
                )
            if conn.context:
                raise GitopsLbError("--context needs a kubeconfig; none was found")
            config.load_incluster_config(client_configuration=configuration)  # type: ignore[no-untyped-call]
            how = "in-cluster service account"
        else:
            scrub.add(kubeconfig_secrets(paths))
            context = _pick_context(config, paths, conn.context)
            config.load_kube_config(  # type: ignore[no-untyped-call]
                config_file=paths,
                context=context,
                client_configuration=configuration,
                persist_config=False,
            )
            how = f"context {context}"
    except GitopsLbError as exc:
        raise GitopsLbError(scrub(str(exc))) from None
    except (ConfigException, OSError, ValueError, TypeError, KeyError) as exc:
        source = paths or "in-cluster configuration"
        raise GitopsLbError(scrub(f"cannot use {source}: {exc}")) from None
    except yaml.YAMLError as exc:  # the problem and where, never the text around it
        raise GitopsLbError(f"cannot use kubeconfig {yaml_problem(exc, str(paths))}") from None
    scrub.add(str(v) for v in (configuration.api_key or {}).values())
    scrub.add([str(configuration.password or "")])
    scrub.add(url_userinfo(str(configuration.host or "")))
    configuration.retries = False  # a timeout must cost one timeout, not four
    url = scrub(without_userinfo(str(configuration.host or "")))
    server = Server(url, scrub(how), insecure=not configuration.verify_ssl)
    return client.ApiClient(configuration), server


def yaml_problem(exc: yaml.YAMLError, paths: str) -> str:
    """A YAML error of a kubeconfig as `file:line:col: YAML: problem`, without the text around
    it: that could hold a token the scrubber never saw, since the file could not be read."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is not None:
            return f"{mark.name}:{mark.line + 1}:{mark.column + 1}: YAML: {problem}"
        return f"{paths}: YAML: {problem}"
    return f"{paths}: invalid YAML"


def _pick_context(config: Any, paths: str, wanted: str | None) -> str:
    try:
        contexts, active = config.list_kube_config_contexts(config_file=paths)
    except ConfigException as exc:
        raise GitopsLbError(f"kubeconfig {paths}: {exc}") from None
    names = sorted(str(c.get("name")) for c in contexts or [] if isinstance(c, dict))
    if wanted:
        if wanted not in names:
            known = ", ".join(names) or "none"
            raise GitopsLbError(f"unknown context {wanted!r} in {paths} (contexts: {known})")
        return wanted
    if not active or not active.get("name"):
        raise GitopsLbError(f"kubeconfig {paths} has no current-context; pass --context")
    return str(active["name"])


class _BadAnswer(Exception):
    """The API server answered something reconcile cannot use."""


class _Late(Exception):
    """A request was not answered completely before its deadline."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Call:
    """One request and the read of its whole answer, in a thread of its own, so that a deadline
    bounds it from start to end: a server that trickles its answer a byte at a time keeps the
    socket's timeout from ever firing, never this one. At the deadline the socket is shut down
    (when the answer had begun) and the thread is left to end; it holds nothing reconcile
    still needs."""

    def __init__(self, request: Callable[[], Any]) -> None:
        self.request = request
        self.response: Any = None
        self.body: bytes | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()

    def run(self) -> None:
        try:
            response = self.request()
            self.response = response
            try:
                self.body = response.data
            finally:
                response.release_conn()
        except BaseException as exc:  # handed to the caller's thread
            self.error = exc
        finally:
            self.done.set()

    def within(self, seconds: float) -> bytes:
        name = f"{REQUEST_THREAD}-{threading.get_ident()}"  # whose logs it writes
        thread = threading.Thread(target=self.run, name=name, daemon=True)
        thread.start()
        if not self.done.wait(max(seconds, 0.0)):
            begun = self.response is not None
            self._abort()
            raise _Late("the answer did not end" if begun else "no answer")
        if self.error is not None:
            raise self.error
        return self.body or b""

    def _abort(self) -> None:
        response = self.response
        if response is None:
            return
        with contextlib.suppress(ValueError, RuntimeError, OSError):
            response.shutdown()


class Reader:
    def __init__(
        self, api: Any, namespace: str, conn: Connection, scrub: Scrubber, server: Server
    ) -> None:
        self.core = client.CoreV1Api(api)
        self.discovery = client.CoreApi(api)
        self.custom = client.CustomObjectsApi(api)
        self.namespace = namespace
        self.server = server
        self.timeout = conn.timeout
        self.total = conn.timeout * TOTAL_FACTOR
        self.page_size = conn.page_size
        self.scrub = scrub
        self.broken: str | None = None
        self.why_broken: str = ""  # the reason alone (for Unreachable)
        self.read_any = False  # some kind was read (or answered 404): the server answered
        self.probed = False  # /api was asked once, after the first 404 on a list
        self.absent: list[Resource] = []  # answered 404
        self.deadline = time.monotonic() + self.total

    def read_all(self, state: LiveState, todo: Iterable[Resource]) -> None:
        self.deadline = time.monotonic() + self.total
        for res in todo:
            if self.broken is not None:
                if not self.read_any:  # nothing read at all: one line says why
                    raise Unreachable(self.scrub(self.why_broken))
                state.unreadable[res.kind] = f"not read after {self.broken}"
                continue
            self.read(res, state)
        if self.broken is not None and not self.read_any:
            raise Unreachable(self.scrub(self.why_broken))
        self.not_kubernetes()

    def not_kubernetes(self) -> None:
        """Every Kubernetes API server serves the core API (v1) and its Service and Node lists:
        a 404 there means the URL points elsewhere (a wrong path, a proxy in front of the API
        server), and no 404 it gave says anything about the cluster."""
        core = [r for r in self.absent if r.group == "" and r.version == "v1"]
        if core:
            self._not_kubernetes(f"GET {core[0].path(self.namespace)} answered 404 (not found)")

    def _not_kubernetes(self, why: str) -> None:
        raise Unreachable(
            self.scrub(
                f"{self.server.url} ({self.server.how}) is not a Kubernetes API server: {why} "
                "(a wrong server URL, or a proxy in front of one?)"
            )
        )

    def probe(self) -> None:
        """After the first 404 on a list: does the server serve the core API's discovery
        document at all? Every Kubernetes API server does; a 404 there settles it."""
        if self.probed:
            return
        self.probed = True
        try:
            answer = self._call(
                lambda: self.discovery.get_api_versions(**self._options()),
            )
        except ApiException as exc:
            if int(exc.status or 0) == 404:
                self._not_kubernetes("GET /api answered 404 (not found)")
            return  # another failure says nothing about what the server is
        except (_Late, _BadAnswer, HTTPError, OSError):
            return
        versions = answer.get("versions") if isinstance(answer, dict) else None
        if not isinstance(versions, list) or "v1" not in versions:
            self._not_kubernetes("GET /api does not list the core API version v1")

    def _break(self, path: str, why: str) -> None:
        self.broken = f"GET {path} failed"
        where = f"{self.server.url} ({self.server.how})"
        self.why_broken = f"cannot reach the API server {where}: {why}"

    def read(self, res: Resource, state: LiveState) -> None:
        path = res.path(self.namespace) + (f"/{PLUGIN_NAME}" if res is PLUGIN else "")
        try:
            objects = self.fetch(res)
        except ApiException as exc:
            status = int(exc.status or 0)
            if status == 404:
                if res is not PLUGIN:
                    self.probe()
                self.read_any = True
                self.absent.append(res)
                if res is not PLUGIN:
                    state.not_served.append(res.kind)
                return  # the plugin object (or its type) does not exist: reported as missing
            why = f"{_status_word(status)} ({status}): {_status_message(exc)}"
            if status == 401:
                self.broken = f"the API server rejected the credentials for GET {path}"
                self.why_broken = (
                    f"the API server {self.server.url} ({self.server.how}) rejected the "
                    f"credentials: GET {path}: {why}"
                )
            else:
                self.read_any = True
            state.unreadable[res.kind] = self.scrub(f"GET {path}: {why}")
            return
        except _Late as exc:
            self._break(path, exc.message)
            state.unreadable[res.kind] = self.scrub(
                f"the API server did not answer GET {path}: {exc.message}"
            )
            return
        except (HTTPError, OSError) as exc:
            why = _transport_message(exc, self.timeout)
            self._break(path, why)
            state.unreadable[res.kind] = self.scrub(
                f"the API server did not answer GET {path}: {why}"
            )
            return
        except _BadAnswer as exc:
            self.read_any = True
            state.unreadable[res.kind] = self.scrub(f"GET {path}: {exc}")
            return
        self.read_any = True
        for obj in objects:
            state.add(res.kind, obj)

    def fetch(self, res: Resource) -> list[dict[str, Any]]:
        if res is PLUGIN:
            obj = self._call(
                lambda: self.custom.get_cluster_custom_object(
                    res.group, res.version, res.plural, PLUGIN_NAME, **self._options()
                )
            )
            if not isinstance(obj, dict):
                return []
            self._check(res, obj, "the answer")
            return [obj]
        out: list[dict[str, Any]] = []
        token: str | None = None
        seen: set[str] = set()
        keys: set[tuple[str, str, str]] = set()
        for number in range(1, MAX_PAGES + 1):
            page = self._call(functools.partial(self._list, res, token))
            items = page.get("items") if isinstance(page, dict) else None
            if not isinstance(items, list):
                raise _BadAnswer("the answer is not a Kubernetes list")
            new = 0
            for index, obj in enumerate(items):
                if isinstance(obj, dict):
                    self._check(res, obj, f"item {index + 1} of page {number}")
                    obj.setdefault("apiVersion", res.api_version)
                    obj.setdefault("kind", res.kind)
                    key = _key(obj)
                    new += key not in keys
                    keys.add(key)
                    out.append(obj)
            meta = page.get("metadata")
            token = meta.get("continue") if isinstance(meta, dict) else None
            if not token:
                return out
            if not isinstance(token, str):
                raise _BadAnswer("the continue token is not a string")
            if token in seen:
                raise _BadAnswer(
                    f"the server repeated a continue token (page {number}): the list does not end"
                )
            if not new:
                raise _BadAnswer(
                    f"page {number} holds no object not seen before, yet a continue token: the "
                    "list makes no progress"
                )
            seen.add(token)
        raise _BadAnswer(f"more than {MAX_PAGES} pages: the list does not end")

    def _check(self, res: Resource, obj: dict[str, Any], what: str) -> None:
        """An object of the kind, group and namespace asked for, or the answer is not usable:
        an object of another kind taken for this one would be compared as if it were."""
        kind = obj.get("kind")
        if kind is not None and kind != res.kind:
            raise _BadAnswer(f"{what} is of kind {_said(kind)}, not {res.kind}")
        version = obj.get("apiVersion")
        if version is not None:
            group = version.rpartition("/")[0] if isinstance(version, str) else None
            if group != res.group:
                raise _BadAnswer(
                    f"{what} has apiVersion {_said(version)}, not one of {res.group or 'core'}"
                )
        metadata = obj.get("metadata")
        ns = metadata.get("namespace") if isinstance(metadata, dict) else None
        if res.scope == "metallb" and ns != self.namespace:
            where = f"namespace {_said(ns)}" if ns else "no namespace"
            raise _BadAnswer(f"{what} is in {where}, not in {self.namespace}")
        if res.scope == "cluster" and ns:
            raise _BadAnswer(f"{what} is in namespace {_said(ns)}, but {res.kind} has none")

    def _call(self, request: Callable[[], Any]) -> Any:
        """The JSON of one answer, read whole within the timeout (and the total bound)."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Late(self._total_message())
        seconds = min(self.timeout, left)
        try:
            body = _Call(request).within(seconds)
        except _Late as exc:
            if seconds < self.timeout:
                raise _Late(self._total_message()) from None
            raise _Late(f"{exc.message} within {self.timeout:g}s") from None
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise _BadAnswer("the answer is not JSON") from None

    def _total_message(self) -> str:
        return (
            f"the live state was not read within {self.total:g}s "
            f"({TOTAL_FACTOR} x --timeout {self.timeout:g}s)"
        )

    def _options(self) -> dict[str, Any]:
        return {"_preload_content": False, "_request_timeout": (self.timeout, self.timeout)}

    def _list(self, res: Resource, token: str | None) -> Any:
        paging: dict[str, Any] = {"limit": self.page_size, **self._options()}
        if token:
            paging["_continue"] = token
        if res.kind == "Service":
            return self.core.list_service_for_all_namespaces(**paging)
        if res.kind == "Node":
            return self.core.list_node(**paging)
        return self.custom.list_namespaced_custom_object(
            res.group, res.version, self.namespace, res.plural, **paging
        )


def _key(obj: dict[str, Any]) -> tuple[str, str, str]:
    metadata = obj.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    uid, ns, name = (str(metadata.get(k) or "") for k in ("uid", "namespace", "name"))
    return uid, ns, name


def _said(value: Any) -> str:
    return shown(value)


def _status_word(status: int) -> str:
    words = {401: "unauthorized", 403: "forbidden", 410: "list expired while paging"}
    if status in words:
        return words[status]
    return "server error" if status >= 500 else "unexpected answer"


def _status_message(exc: Any) -> str:
    """The message of the Kubernetes Status in the answer (never headers or raw bodies)."""
    body = exc.body
    try:
        status = json.loads(body) if isinstance(body, str | bytes) else None
    except ValueError:
        status = None
    message = status.get("message") if isinstance(status, dict) else None
    text = message if isinstance(message, str) and message else str(exc.reason or "no reason")
    return text[:300]


_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


def _transport_message(exc: BaseException, timeout: float) -> str:
    if not isinstance(exc, NewConnectionError) and isinstance(exc, Urllib3Timeout | TimeoutError):
        return f"no answer within {timeout:g}s"
    found = _ERRNO.search(str(exc))
    if found:
        return found.group(1).strip()
    return type(exc).__name__


def read_live(
    conn: Connection, namespace: str, *, plugin: bool, also: Iterable[Resource] = ()
) -> LiveState:
    """Everything reconcile needs from the cluster, and the kinds `also` names (status reads
    the announcements too); problems per kind are in the LiveState.

    Raises GitopsLbError when no connection can be configured (no or bad kubeconfig, unknown
    context), and Unreachable (a GitopsLbError) when nothing could be read: the server refused
    the connection, did not answer, rejected the credentials, or is not a Kubernetes API server.
    """
    scrub = Scrubber()
    mine = threading.get_ident()

    def own(record: logging.LogRecord) -> bool:  # a fleet reads several clusters at once
        return record.thread == mine or record.threadName == f"{REQUEST_THREAD}-{mine}"

    with captured_logs(own) as logs, quiet_tls():
        try:
            api, server = connect(conn, scrub)
        except GitopsLbError as exc:
            if not logs:
                raise
            said = scrub("; ".join(logs))
            raise GitopsLbError(f"{exc} (kubernetes client: {said})") from None
        try:
            state = LiveState(source=str(server), namespace=namespace)
            if server.insecure:
                state.messages.append(f"TLS verification is off for {server.url}")
            todo = [*resources(plugin=plugin), *also]
            Reader(api, namespace, conn, scrub, server).read_all(state, todo)
        finally:
            api.close()
        state.messages.extend(scrub(f"kubernetes client: {m}") for m in logs)
    return state
