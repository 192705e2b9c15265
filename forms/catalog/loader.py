"""Reads the catalog folder into a checked `Catalog`.

The folder holds `catalog.yaml` (version, metrics, attachment checklist) and one file
per policy under `policies/`; every policy file found is loaded, so next year's call
is a dropped-in file, not a code change. A malformed file is refused with the file,
the path inside its data and the problem, because the people who maintain these files
are policy staff, not programmers: the problem is domain text (`forms.text.catalog`),
shown in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from forms.catalog.migrate import SCHEMAS, migrate_policy
from forms.catalog.model import Catalog, CatalogRuleError, Policy
from forms.system.resources import default_catalog_dir
from forms.text import Text, TextError

MANIFEST = "catalog.yaml"
POLICY_FOLDER = "policies"
#: 2: in-force inferences, sector conditions and vocabulary, norms, the qualifiers of
#: rates and amounts, the reasoning of support references (1 is read through
#: `forms.catalog.migrate`).
SUPPORTED_SCHEMA = SCHEMAS[-1]


@dataclass(frozen=True)
class CatalogProblem:
    file: Path
    location: str  # dotted path inside the file's data, "" for the whole file
    problem: Text

    def message(self, lang: str = "zh") -> str:
        where = f"{self.file}" + (f" → {self.location}" if self.location else "")
        return f"{where}: {self.problem.render(lang)}"

    def __str__(self) -> str:
        return self.message("en")


class CatalogError(TextError):
    """The catalog cannot be used; `problems` lists every defect found."""

    def __init__(self, problems: list[CatalogProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def message(self, lang: str = "zh") -> str:
        return "\n".join(p.message(lang) for p in self.problems)


def _problem(path: Path, location: str, code: str, /, **params: object) -> CatalogProblem:
    return CatalogProblem(path, location, Text.of(code, **params))


# libyaml's parser is about ten times faster than the pure-Python one; the constructors
# below (exact decimals, duplicate keys) are Python either way.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that reads floats as exact Decimals and refuses duplicate keys."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in result:
            mark = key_node.start_mark
            raise _DuplicateKey(str(key), mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, line: int) -> None:
        self.key, self.line = key, line
        super().__init__(f"duplicate key {key!r} (line {line})")


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; raise CatalogError naming the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError([_problem(path, "", "catalog.file_not_found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError([_problem(path, "", "catalog.cannot_read", error=exc)]) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except _DuplicateKey as exc:
        where = f"line {exc.line}"
        problem = _problem(path, where, "catalog.duplicate_key", key=exc.key, line=exc.line)
        raise CatalogError([problem]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = _problem(path, where, "catalog.yaml_syntax", problem=exc.problem or exc)
        raise CatalogError([problem]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([_problem(path, "", "catalog.yaml_syntax", problem=exc)]) from None


#: pydantic's error types, told in the words of the data (its own message is the English).
_ERROR_CODES = {
    "missing": "catalog.error.missing",
    "extra_forbidden": "catalog.error.extra_forbidden",
    "decimal_parsing": "catalog.error.number",
    "decimal_type": "catalog.error.number",
    "int_parsing": "catalog.error.number",
    "int_type": "catalog.error.number",
    "float_parsing": "catalog.error.number",
    "date_from_datetime_parsing": "catalog.error.date",
    "date_parsing": "catalog.error.date",
    "date_type": "catalog.error.date",
}


def _explain(item: Any) -> Text:
    """One pydantic error as domain text: our own cross-checks carry theirs, pydantic's
    common types have a Chinese wording, and its own message is the English."""
    error = (item.get("ctx") or {}).get("error")
    if isinstance(error, CatalogRuleError):
        return error.text
    kind, context, english = item["type"], item.get("ctx") or {}, item["msg"]
    chinese = english
    if kind in _ERROR_CODES:
        chinese = Text.of(_ERROR_CODES[kind]).render("zh")
    elif kind in ("enum", "literal_error") and "expected" in context:
        chinese = Text.of("catalog.error.choice", expected=context["expected"]).render("zh")
    elif kind in ("less_than_equal", "less_than") and context:
        limit = context.get("le", context.get("lt"))
        chinese = Text.of("catalog.error.too_large", limit=limit).render("zh")
    elif kind in ("greater_than_equal", "greater_than") and context:
        limit = context.get("ge", context.get("gt"))
        chinese = Text.of("catalog.error.too_small", limit=limit).render("zh")
    return Text.of("catalog.invalid", message=chinese, message_en=english)


def _problems(path: Path, error: ValidationError, prefix: str = "") -> list[CatalogProblem]:
    out = []
    for item in error.errors():
        loc = ".".join(str(part) for part in (*([prefix] if prefix else []), *item["loc"]))
        out.append(CatalogProblem(path, loc, _explain(item)))
    return out


def load_policy_file(path: Path, schema: int = SUPPORTED_SCHEMA) -> Policy:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise CatalogError([_problem(path, "", "catalog.policy_not_mapping")])
    try:
        return Policy.model_validate(migrate_policy(data, schema))
    except ValidationError as exc:
        raise CatalogError(_problems(path, exc)) from None


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load and cross-check every file of a catalog folder."""
    folder = directory if directory is not None else default_catalog_dir()
    manifest_path = folder / MANIFEST
    manifest = read_yaml(manifest_path)
    if not isinstance(manifest, dict):
        raise CatalogError([_problem(manifest_path, "", "catalog.manifest_not_mapping")])
    schema = manifest.get("schema_version")
    if schema not in SCHEMAS:
        problem = _problem(
            manifest_path,
            "schema_version",
            "catalog.schema_unsupported",
            found=schema,
            supported=SUPPORTED_SCHEMA,
        )
        raise CatalogError([problem])
    problems: list[CatalogProblem] = []
    policies: list[Policy] = []
    files = sorted((folder / POLICY_FOLDER).glob("*.yaml"))
    if not files:
        problems.append(_problem(folder / POLICY_FOLDER, "", "catalog.no_policy_files"))
    for path in files:
        try:
            policies.append(load_policy_file(path, schema))
        except CatalogError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogError(problems)
    try:
        return Catalog.model_validate({**manifest, "policies": policies})
    except ValidationError as exc:
        raise CatalogError(_problems(manifest_path, exc)) from None
