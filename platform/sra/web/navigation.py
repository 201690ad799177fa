"""The navigation bar: each context adds its entries for the roles that use them."""

from __future__ import annotations

from dataclasses import dataclass

from sra.identity.roles import Role


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str  # an untranslated message id; the template translates it
    path: str
    roles: frozenset[Role]
    order: int = 100


_ITEMS: list[NavItem] = []


def add_nav_item(
    label: str, path: str, roles: frozenset[Role] | set[Role], order: int = 100
) -> None:
    item = NavItem(label, path, frozenset(roles), order)
    if item not in _ITEMS:
        _ITEMS.append(item)


def nav_for(role: Role | None) -> list[NavItem]:
    if role is None:
        return []
    return sorted((i for i in _ITEMS if role in i.roles), key=lambda i: (i.order, i.path))
