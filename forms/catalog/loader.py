"""Reads the catalog folder into a checked `Catalog`.

The folder holds `catalog.yaml` (version, metrics, attachment checklist) and one file
per policy under `policies/`; every policy file found is loaded, so next year's call
is a dropped-in file, not a code change. A malformed file is refused with the file,
the path inside its data and the problem, because the people who maintain these files
are policy staff, not programmers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from forms.catalog.model import Catalog, Policy
from forms.system.resources import default_catalog_dir

MANIFEST = "catalog.yaml"
POLICY_FOLDER = "policies"
SUPPORTED_SCHEMA = 1


@dataclass(frozen=True)
class CatalogProblem:
    file: Path
    location: str  # dotted path inside the file's data, "" for the whole file
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f" → {self.location}" if self.location else "")
        return f"{where}: {self.problem}"


class CatalogError(Exception):
    """The catalog cannot be used; `problems` lists every defect found."""

    def __init__(self, problems: list[CatalogProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {mark.line + 1})", mark
            )
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; raise CatalogError naming the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError([CatalogProblem(path, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError([CatalogProblem(path, "", f"cannot read: {exc}")]) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CatalogError([CatalogProblem(path, where, str(exc.problem or exc))]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([CatalogProblem(path, "", str(exc))]) from None


def _problems(path: Path, error: ValidationError, prefix: str = "") -> list[CatalogProblem]:
    out = []
    for item in error.errors():
        loc = ".".join(str(part) for part in (*([prefix] if prefix else []), *item["loc"]))
        out.append(CatalogProblem(path, loc, item["msg"]))
    return out


def load_policy_file(path: Path) -> Policy:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise CatalogError([CatalogProblem(path, "", "a policy file must be a mapping")])
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(_problems(path, exc)) from None


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load and cross-check every file of a catalog folder."""
    folder = directory if directory is not None else default_catalog_dir()
    manifest_path = folder / MANIFEST
    manifest = read_yaml(manifest_path)
    if not isinstance(manifest, dict):
        raise CatalogError([CatalogProblem(manifest_path, "", "the manifest must be a mapping")])
    schema = manifest.get("schema_version")
    if schema != SUPPORTED_SCHEMA:
        raise CatalogError(
            [
                CatalogProblem(
                    manifest_path,
                    "schema_version",
                    f"schema version {schema!r} is not supported (this build reads "
                    f"{SUPPORTED_SCHEMA}); update shenbao or use a matching catalog",
                )
            ]
        )
    problems: list[CatalogProblem] = []
    policies: list[Policy] = []
    files = sorted((folder / POLICY_FOLDER).glob("*.yaml"))
    if not files:
        problems.append(CatalogProblem(folder / POLICY_FOLDER, "", "no policy files (*.yaml)"))
    for path in files:
        try:
            policies.append(load_policy_file(path))
        except CatalogError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogError(problems)
    try:
        return Catalog.model_validate({**manifest, "policies": policies})
    except ValidationError as exc:
        raise CatalogError(_problems(manifest_path, exc)) from None
