"""What changed between two catalog versions, and which drafts the change touches.

Policy staff publish a new catalog between releases (a new call, a corrected threshold, a
document superseded); before anyone relies on it, `shenbao catalog diff OLD NEW` and the
app (when an update is in use) say what changed in the terms a company acts on:
directions added or removed, thresholds, rates, caps, bases, the conditions, the in-force
dates and the submission windows. A draft is affected when its direction changed or was
removed, or when its document's dates, window or conditions changed.

Pure: two `Catalog`s in, `Change`s out, each rendered by `forms.text` codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from forms.catalog.figures import format_metric, format_money, format_money_en, local_time
from forms.catalog.model import (
    Catalog,
    Condition,
    Policy,
    QualifiedDirection,
    Support,
    Threshold,
)
from forms.catalog.support import bounded, reference_label
from forms.draft.model import Draft
from forms.text import Text, label

Pair = tuple[str, str]  # a value in Chinese and in English
_NONE: Pair = ("", "")


@dataclass(frozen=True)
class Change:
    """One difference: `scope` is a policy id or a direction key."""

    code: str  # diff.policy_added | diff.policy_removed | diff.direction_added | ... | diff.changed
    scope: str
    title: Pair
    what: str = ""  # for diff.changed: the diff.what.* code
    old: Pair = _NONE
    new: Pair = _NONE

    @property
    def policy_id(self) -> str:
        return self.scope.split("/", 1)[0]

    def text(self) -> Text:
        if self.code != "diff.changed":
            return Text.of(self.code, title=self.title[0], title_en=self.title[1])
        absent = (Text.of("diff.absent").render("zh"), Text.of("diff.absent").render("en"))
        old = self.old if self.old != _NONE else absent
        new = self.new if self.new != _NONE else absent
        what = Text.of(self.what)
        return Text.of(
            "diff.changed",
            title=self.title[0],
            title_en=self.title[1],
            what=what.render("zh"),
            what_en=what.render("en"),
            old=old[0],
            old_en=old[1],
            new=new[0],
            new_en=new[1],
        )

    def as_json(self) -> dict[str, object]:
        return {"scope": self.scope, "what": self.what or self.code, **self.text().as_json()}


@dataclass(frozen=True)
class CatalogDiff:
    old_version: str
    new_version: str
    changes: tuple[Change, ...]

    def touching(self, key: str | None) -> list[Change]:
        """The changes that bear on a draft applying for `key`: its direction's own, and
        its document's (dates, window, conditions)."""
        if not key:
            return []
        policy = key.split("/", 1)[0]
        return [c for c in self.changes if c.scope == key or c.scope == policy]

    def affected(self, drafts: Iterable[Draft]) -> list[tuple[Draft, list[Change]]]:
        out = []
        for draft in drafts:
            found = self.touching(draft.direction)
            if found:
                out.append((draft, found))
        return out

    def heading(self) -> Text:
        params = {"old": self.old_version, "new": self.new_version, "count": len(self.changes)}
        return Text.of("diff.heading" if self.changes else "diff.none", **params)


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    """Every change from `old` to `new` that a company would act on."""
    changes: list[Change] = []
    old_policies = {p.id: p for p in old.policies}
    new_policies = {p.id: p for p in new.policies}
    for pid, policy in old_policies.items():
        if pid not in new_policies:
            changes.append(Change("diff.policy_removed", pid, _policy_title(policy)))
    for pid, policy in new_policies.items():
        if pid not in old_policies:
            changes.append(Change("diff.policy_added", pid, _policy_title(policy)))
        else:
            changes.extend(_policy_changes((old, new), old_policies[pid], policy))
    old_keys = {q.key: q for q in old.directions()}
    new_keys = {q.key: q for q in new.directions()}
    for key, q in old_keys.items():
        if key not in new_keys and q.policy.id in new_policies:
            changes.append(Change("diff.direction_removed", key, _direction_title(q)))
    for key, q in new_keys.items():
        if key not in old_keys:
            if q.policy.id in old_policies:
                changes.append(Change("diff.direction_added", key, _direction_title(q)))
            continue
        changes.extend(_direction_changes(old, old_keys[key], new, q))
    return CatalogDiff(old.version, new.version, tuple(changes))


# --- what is compared ------------------------------------------------------------------


def _policy_title(policy: Policy) -> Pair:
    number = f"（{policy.doc_number}）" if policy.doc_number else ""
    return f"《{policy.title}》{number}", policy.title_en + (
        f" ({policy.doc_number})" if policy.doc_number else ""
    )


def _direction_title(q: QualifiedDirection) -> Pair:
    zh_policy, en_policy = _policy_title(q.policy)
    return f"{zh_policy} {q.direction.title}", f"{en_policy} · {q.direction.title_en}"


def _day(value: date | None) -> Pair:
    return (value.isoformat(), value.isoformat()) if value is not None else _NONE


def _moment(value: datetime | None) -> Pair:
    return (local_time(value), local_time(value)) if value is not None else _NONE


def _policy_changes(
    catalogs: tuple[Catalog, Catalog], old: Policy, new: Policy
) -> Iterator[Change]:
    title = _policy_title(new)

    def changed(what: str, a: Pair, b: Pair) -> Iterator[Change]:
        if a != b:
            yield Change("diff.changed", new.id, title, f"diff.what.{what}", a, b)

    yield from changed("in_force_from", _day(old.effective_from), _day(new.effective_from))
    yield from changed("in_force_until", _day(old.effective_until), _day(new.effective_until))
    yield from changed("superseded_on", _day(old.superseded_on), _day(new.superseded_on))
    old_sub, new_sub = old.submission, new.submission
    yield from changed(
        "window_opens",
        _moment(old_sub.opens if old_sub else None),
        _moment(new_sub.opens if new_sub else None),
    )
    yield from changed(
        "window_closes",
        _moment(old_sub.closes if old_sub else None),
        _moment(new_sub.closes if new_sub else None),
    )
    yield from changed(
        "file_limit",
        _bytes(old_sub.max_file_bytes if old_sub else None),
        _bytes(new_sub.max_file_bytes if new_sub else None),
    )
    yield from _condition_changes(catalogs, new.id, title, old.conditions, new.conditions)


def _bytes(value: int | None) -> Pair:
    return (f"{value:,}字节", f"{value:,} bytes") if value is not None else _NONE


def _direction_changes(
    old_catalog: Catalog, old: QualifiedDirection, new_catalog: Catalog, new: QualifiedDirection
) -> Iterator[Change]:
    title = _direction_title(new)

    def changed(what: str, a: Pair, b: Pair) -> Iterator[Change]:
        if a != b:
            yield Change("diff.changed", new.key, title, f"diff.what.{what}", a, b)

    yield from _threshold_changes(old_catalog, old, new_catalog, new, changed)
    a, b = old_catalog.effective_support(old), new_catalog.effective_support(new)
    yield from changed("form", _form(a), _form(b))
    yield from changed("base", _base(a), _base(b))
    yield from changed("rate", _rate(a), _rate(b))
    yield from changed("cap", _cap(a), _cap(b))
    yield from changed(
        "estimate_from",
        _ref(old_catalog, old.direction.support),
        _ref(new_catalog, new.direction.support),
    )
    yield from changed("applicants", _applicants(old), _applicants(new))
    yield from _condition_changes(
        (old_catalog, new_catalog),
        new.key,
        title,
        old.direction.conditions,
        new.direction.conditions,
    )


def _threshold_changes(
    old_catalog: Catalog,
    old: QualifiedDirection,
    new_catalog: Catalog,
    new: QualifiedDirection,
    changed: Callable[[str, Pair, Pair], Iterator[Change]],
) -> Iterator[Change]:
    before = {t.metric: t for t in old.direction.thresholds}
    after = {t.metric: t for t in new.direction.thresholds}
    for metric in [*before, *(m for m in after if m not in before)]:
        a = _threshold(old_catalog, before.get(metric))
        b = _threshold(new_catalog, after.get(metric))
        yield from changed("threshold", a, b)


def _threshold(catalog: Catalog, threshold: Threshold | None) -> Pair:
    if threshold is None:
        return _NONE
    metric = catalog.metric(threshold.metric)
    symbol = threshold.op.symbol
    return (
        f"{metric.label} {symbol} {format_metric(metric, threshold.value)}",
        f"{metric.label_en} {symbol} {format_metric(metric, threshold.value, english=True)}",
    )


def _form(support: Support) -> Pair:
    return support.form.value, support.form.value


def _base(support: Support) -> Pair:
    if support.base is None:
        return _NONE
    return label(support.base, "zh"), label(support.base, "en")


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _rate(support: Support) -> Pair:
    if support.rate_max_pct is None:
        return _NONE
    rate = _percent(support.rate_max_pct)
    if support.rate_min_pct is not None:
        rate = f"{_percent(support.rate_min_pct)}—{rate}"
    return bounded(support.rate_bound, rate, rate)


def _cap(support: Support) -> Pair:
    if support.cap_cny is None:
        return _NONE
    return bounded(
        support.cap_bound, format_money(support.cap_cny), format_money_en(support.cap_cny)
    )


def _ref(catalog: Catalog, support: Support) -> Pair:
    if support.support_ref is None:
        return _NONE
    name = reference_label(catalog.direction(support.support_ref))
    return name, name


def _applicants(q: QualifiedDirection) -> Pair:
    return (
        "、".join(label(a, "zh") for a in q.direction.applicants),
        ", ".join(label(a, "en") for a in q.direction.applicants),
    )


def _condition(catalog: Catalog, c: Condition | None) -> Pair:
    if c is None:
        return _NONE
    zh = f"{c.words}（{label(c.strength, 'zh')}"
    en = f"{c.text_en or c.words} ({label(c.strength, 'en')}"
    sectors = [s for s in map(catalog.sector, c.sectors) if s is not None]
    for name, value_zh, value_en in (
        ("months", c.months, c.months),
        ("latest", c.latest, c.latest),
        ("region", c.region_prefix, c.region_prefix),
        (
            "sectors",
            "、".join(s.label for s in sectors) or None,
            ", ".join(s.label_en for s in sectors) or None,
        ),
    ):
        if value_zh is not None:
            zh += f"，{name}={value_zh}"
            en += f", {name}={value_en}"
    return zh + "）", en + ")"


def _condition_changes(
    catalogs: tuple[Catalog, Catalog],
    scope: str,
    title: Pair,
    old: tuple[Condition, ...],
    new: tuple[Condition, ...],
) -> Iterator[Change]:
    before = {c.id: c for c in old}
    after = {c.id: c for c in new}
    for cid in [*before, *(c for c in after if c not in before)]:
        a = _condition(catalogs[0], before.get(cid))
        b = _condition(catalogs[1], after.get(cid))
        if a != b:
            yield Change("diff.changed", scope, title, "diff.what.condition", a, b)
