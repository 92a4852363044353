"""The live state from the Kubernetes API, read-only: GET requests only.

The only module that imports `kubernetes` (the reconcile command imports it lazily). The
credentials are found as kubectl finds them: --kubeconfig, else $KUBECONFIG (a path list),
else ~/.kube/config, else the in-cluster service account. Lists are read page by page
(limit/continue). Every request has a timeout and is never retried; once the API server does
not answer (timeout, refused connection, rejected credentials) nothing more is requested and
the kinds not read yet are reported unreadable. A 403 or 5xx answer makes only that kind
unreadable. No message ever carries a token, password or key from the kubeconfig.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from gitops_lb.errors import GitopsLbError
from gitops_lb.reconcile.state import PLUGIN, PLUGIN_NAME, LiveState, Resource, resources

DEFAULT_TIMEOUT = 30.0
PAGE_SIZE = 500
MAX_PAGES = 100_000
DEFAULT_KUBECONFIG = os.path.join("~", ".kube", "config")
SECRET_KEYS = frozenset(
    {
        "token",
        "password",
        "client-key-data",
        "client-certificate-data",
        "id-token",
        "refresh-token",
        "access-token",
        "client-secret",
        "secret",
    }
)
REDACTED = "<redacted>"


@dataclass(frozen=True, slots=True)
class Connection:
    kubeconfig: str | None = None
    context: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    page_size: int = PAGE_SIZE


class Scrubber:
    """Removes every known secret from a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets: set[str] = set()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        for raw in secrets:
            secret = raw.strip()
            if len(secret) >= 6:
                self.secrets.add(secret)
            if secret.lower().startswith(("bearer ", "basic ")):
                self.add(secret.split(None, 1)[1:])

    def __call__(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text


def _secret_values(node: Any, key: str = "") -> Iterable[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _secret_values(v, str(k).lower())
        if "name" in node and "value" in node:  # exec plugin env entries
            value = node.get("value")
            if isinstance(value, str):
                yield value
    elif isinstance(node, list):
        for v in node:
            yield from _secret_values(v, key)
    elif isinstance(node, str) and key in SECRET_KEYS:
        yield node


def kubeconfig_secrets(paths: str) -> list[str]:
    """Credentials in the `users` of the kubeconfig files (read tolerantly)."""
    import yaml

    found: list[str] = []
    for path in paths.split(os.pathsep):
        try:
            with open(os.path.expanduser(path), encoding="utf-8") as fh:
                data = yaml.safe_load(fh)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        users = data.get("users") if isinstance(data, dict) else None
        found.extend(_secret_values(users))
    return found


def _kubeconfig_paths(explicit: str | None) -> str | None:
    """The kubeconfig path list to use, or None for in-cluster configuration."""
    if explicit:
        if not os.path.isfile(os.path.expanduser(explicit)):
            raise GitopsLbError(f"kubeconfig {explicit}: no such file")
        return explicit
    env = os.environ.get("KUBECONFIG", "")
    if env:
        if not any(os.path.isfile(os.path.expanduser(p)) for p in env.split(os.pathsep) if p):
            raise GitopsLbError(f"KUBECONFIG={env} names no existing file")
        return env
    if os.path.isfile(os.path.expanduser(DEFAULT_KUBECONFIG)):
        return DEFAULT_KUBECONFIG
    return None


def connect(conn: Connection, scrub: Scrubber) -> tuple[Any, str]:
    """An ApiClient and a description of where it points; its secrets go to `scrub`."""
    from kubernetes import client, config
    from kubernetes.config.config_exception import ConfigException

    paths = _kubeconfig_paths(conn.kubeconfig)
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
            where = f"in-cluster service account ({configuration.host})"
        else:
            scrub.add(kubeconfig_secrets(paths))
            context = _pick_context(config, paths, conn.context)
            config.load_kube_config(  # type: ignore[no-untyped-call]
                config_file=paths,
                context=context,
                client_configuration=configuration,
                persist_config=False,
            )
            where = f"context {context} ({configuration.host})"
    except GitopsLbError as exc:
        raise GitopsLbError(scrub(str(exc))) from None
    except (ConfigException, OSError, ValueError, TypeError, KeyError) as exc:
        source = paths or "in-cluster configuration"
        raise GitopsLbError(scrub(f"cannot use {source}: {exc}")) from None
    scrub.add(str(v) for v in (configuration.api_key or {}).values())
    scrub.add([str(configuration.password or "")])
    configuration.retries = False  # a timeout must cost one timeout, not four
    return client.ApiClient(configuration), scrub(where)


def _pick_context(config: Any, paths: str, wanted: str | None) -> str:
    from kubernetes.config.config_exception import ConfigException

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


class _Stop(Exception):
    """The API server is not answering: read nothing more."""


class Reader:
    def __init__(self, api: Any, namespace: str, conn: Connection, scrub: Scrubber) -> None:
        from kubernetes import client

        self.core = client.CoreV1Api(api)
        self.custom = client.CustomObjectsApi(api)
        self.namespace = namespace
        self.timeout = conn.timeout
        self.page_size = conn.page_size
        self.scrub = scrub
        self.broken: str | None = None

    def read_all(self, state: LiveState, todo: Iterable[Resource]) -> None:
        for res in todo:
            if self.broken is not None:
                state.unreadable[res.kind] = f"not read after {self.broken}"
                continue
            self.read(res, state)

    def read(self, res: Resource, state: LiveState) -> None:
        from kubernetes.client.exceptions import ApiException
        from urllib3.exceptions import HTTPError

        path = res.path(self.namespace) + (f"/{PLUGIN_NAME}" if res is PLUGIN else "")
        try:
            objects = self.fetch(res)
        except ApiException as exc:
            status = int(exc.status or 0)
            if status == 404:
                if res is not PLUGIN:
                    state.not_served.append(res.kind)
                return  # the plugin object (or its type) does not exist: reported as missing
            why = f"{_status_word(status)} ({status}): {_status_message(exc)}"
            if status == 401:
                self.broken = f"the API server rejected the credentials for GET {path}"
            state.unreadable[res.kind] = self.scrub(f"GET {path}: {why}")
            return
        except (HTTPError, OSError) as exc:
            why = _transport_message(exc, self.timeout)
            self.broken = f"GET {path} failed"
            state.unreadable[res.kind] = self.scrub(
                f"the API server did not answer GET {path}: {why}"
            )
            return
        except _Stop as exc:
            state.unreadable[res.kind] = self.scrub(f"GET {path}: {exc}")
            return
        for obj in objects:
            state.add(res.kind, obj)

    def fetch(self, res: Resource) -> list[dict[str, Any]]:
        if res is PLUGIN:
            obj = self._json(
                self.custom.get_cluster_custom_object(
                    res.group, res.version, res.plural, PLUGIN_NAME, **self._options()
                )
            )
            return [obj] if isinstance(obj, dict) else []
        out: list[dict[str, Any]] = []
        token: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page = self._json(self._list(res, token))
            items = page.get("items") if isinstance(page, dict) else None
            if not isinstance(items, list):
                raise _Stop("the answer is not a Kubernetes list")
            for obj in items:
                if isinstance(obj, dict):
                    obj.setdefault("apiVersion", res.api_version)
                    obj.setdefault("kind", res.kind)
                    out.append(obj)
            meta = page.get("metadata")
            token = meta.get("continue") if isinstance(meta, dict) else None
            if not token:
                return out
            if token in seen:
                raise _Stop("the server repeated a continue token")
            seen.add(token)
        raise _Stop(f"more than {MAX_PAGES} pages")

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

    @staticmethod
    def _json(response: Any) -> Any:
        try:
            body = response.data
        finally:
            response.release_conn()
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise _Stop("the answer is not JSON") from None


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
    from urllib3.exceptions import NewConnectionError
    from urllib3.exceptions import TimeoutError as Urllib3Timeout

    if not isinstance(exc, NewConnectionError) and isinstance(exc, Urllib3Timeout | TimeoutError):
        return f"no answer within {timeout:g}s"
    found = _ERRNO.search(str(exc))
    if found:
        return found.group(1).strip()
    return type(exc).__name__


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed log call of a library: keep going
            self.messages.append(str(record.msg))


@contextmanager
def captured_logs() -> Iterator[list[str]]:
    """The kubernetes client logs to the root logger (an exec plugin's stderr, for one): keep
    those messages out of the terminal so that they can be scrubbed before anyone sees them."""
    root = logging.getLogger()
    handler = _Capture()
    root.addHandler(handler)
    try:
        yield handler.messages
    finally:
        root.removeHandler(handler)


def read_live(conn: Connection, namespace: str, *, plugin: bool) -> LiveState:
    """Everything reconcile needs from the cluster; problems per kind are in the LiveState.

    Raises GitopsLbError when no connection can be configured (no or bad kubeconfig, unknown
    context).
    """
    scrub = Scrubber()
    with captured_logs() as logs:
        try:
            api, where = connect(conn, scrub)
        except GitopsLbError as exc:
            if not logs:
                raise
            said = scrub("; ".join(logs))
            raise GitopsLbError(f"{exc} (kubernetes client: {said})") from None
        try:
            state = LiveState(source=where, namespace=namespace)
            Reader(api, namespace, conn, scrub).read_all(state, resources(plugin=plugin))
        finally:
            api.close()
        state.messages.extend(scrub(f"kubernetes client: {m}") for m in logs)
    return state
