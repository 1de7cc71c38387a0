"""Walk every URL of the site as users who must not see a village's data.

Used by test_scope.py. ``find_leaks`` returns a list of human-readable findings; an empty
list means: no page showed the target village's data to an outsider, no request changed it,
and anonymous visitors were sent to the login page.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongwei.orgs.access import PUBLIC, SELF_GUARDED_NAMESPACES, declared_scope


@dataclass
class Route:
    name: str  # namespaced URL name
    kwargs: tuple[str, ...]
    view: object


@dataclass
class Target:
    """The data of one village that outsiders must never see or change."""

    code: str
    kwargs: dict[str, object]  # a value for every URL parameter, pointing at that village's data
    markers: list[str] = field(default_factory=list)  # text that only its data contains


def routes(patterns=None, namespaces=()) -> Iterator[Route]:
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = namespaces + ((p.namespace,) if p.namespace else ())
            if SELF_GUARDED_NAMESPACES.intersection(ns):
                continue
            yield from routes(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            if not p.name:
                raise AssertionError(f"URL pattern {p.pattern} has no name; every route is named")
            name = ":".join(namespaces + (p.name,))
            yield Route(name, tuple(p.pattern.converters) or tuple(p.pattern.regex.groupindex), p.callback)


def fingerprint(code: str) -> str:
    """A hash of every scoped row of the unit ``code``: it changes when any of them does."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if getattr(model, "scope_field", None) and hasattr(model.objects, "under"):
            rows = list(model.objects.under(code).order_by("pk").values())
            digest.update(model._meta.label.encode())
            digest.update(json.dumps(rows, default=str, sort_keys=True).encode())
    return digest.hexdigest()


def _url(route: Route, target: Target) -> str:
    missing = [k for k in route.kwargs if k not in target.kwargs]
    if missing:
        raise AssertionError(
            f"{route.name} takes {missing}: add a value pointing at the target village's data "
            "to the scope_target fixture in web/tests/test_scope.py")
    return reverse(route.name, kwargs={k: target.kwargs[k] for k in route.kwargs})


def find_leaks(client, target: Target, outsiders, insiders) -> list[str]:
    leaks: list[str] = []
    for route in routes():
        url = _url(route, target)
        public = declared_scope(route.view) == PUBLIC

        def check(response, who, method):
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            for marker in target.markers:
                if marker in body or marker in response.get("Location", ""):
                    leaks.append(f"{method} {url} as {who}: shows “{marker}”")

        # Anonymous: the login page, never data, never a change.
        client.logout()
        before = fingerprint(target.code)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if not public and response.status_code == 200:
                leaks.append(f"{method.upper()} {url} anonymous: status 200 instead of login")
            check(response, "anonymous", method.upper())
        if fingerprint(target.code) != before:
            leaks.append(f"POST {url} anonymous: changed the target village's data")

        for user in outsiders:
            client.force_login(user)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                check(response, user.username, method.upper())
            if fingerprint(target.code) != before:
                leaks.append(f"POST {url} as {user.username}: changed the target village's data")
                before = fingerprint(target.code)

        if not public:
            # The URL must really point at something: some insider gets the page, so the
            # outsiders' 404s above come from the scope rule, not from a bad sample.
            statuses = []
            for user in insiders:
                client.force_login(user)
                statuses.append(client.get(url).status_code)
            if 200 not in statuses and 405 not in statuses:
                leaks.append(f"GET {url}: no insider could open it either ({statuses}); fix the sample")
    client.logout()
    return leaks
