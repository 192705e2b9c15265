"""Which policy catalog a run uses: the bundled one, or a newer update IT dropped in.

Policy staff publish a new catalog between releases; IT copies it into an update folder
(the `catalog_folder` setting, often preset machine-wide, and `<data home>/catalog-updates`)
and every start picks it up without a new build. In an update folder, each of these is
a candidate:

* the folder itself, when it holds `catalog.yaml` (a catalog copied in place);
* each sub-folder holding `catalog.yaml` (`catalog-updates/2027.1/…`);
* each `.zip` file holding a catalog (at its root or in one top folder).

A candidate is used when it loads cleanly (the same loader and checks as the bundled
catalog) and its version is newer than the bundled one; the newest such wins. A bad
candidate is refused with the reason, and the run keeps the bundled catalog: a broken
update must never stop anyone from working. `SHENBAO_CATALOG` (developers, tests) names
one catalog and turns update scanning off; `--catalog DIR` does the same on the command
line.

Pure: no Qt, no printing. The caller shows `problems` (the GUI in its status bar and
About, the command line as warnings on stderr).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal, NamedTuple

from forms.catalog.loader import MANIFEST, CatalogError, CatalogProblem, load_catalog, read_yaml
from forms.catalog.model import Catalog
from forms.system.atomic import atomic_file
from forms.system.paths import data_home
from forms.system.resources import CATALOG_ENV, resource_path
from forms.system.settings import Settings

UPDATES_FOLDER = "catalog-updates"
#: Caps for a zipped catalog: a catalog is a few hundred kilobytes of YAML.
ZIP_MAX_MEMBERS = 500
ZIP_MAX_BYTES = 20_000_000

SourceKind = Literal["bundled", "update", "override"]
_VERSION = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True)
class CatalogSource:
    """Where the catalog in use came from."""

    kind: SourceKind
    location: Path
    version: str

    def describe(self, lang: str = "zh") -> str:
        if lang == "en":
            what = {"bundled": "bundled", "update": "update", "override": "SHENBAO_CATALOG"}
            return f"{self.version} ({what[self.kind]}: {self.location})"
        what = {"bundled": "内置", "update": "更新", "override": "SHENBAO_CATALOG"}
        return f"{self.version}（{what[self.kind]}：{self.location}）"


@dataclass(frozen=True)
class UpdateNote:
    """A catalog update that was not used. `refused`: it is broken (warn about it);
    otherwise it is simply not newer, or its folder is not reachable (shown in About)."""

    location: Path
    reason: str
    refused: bool = True
    details: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        head = f"{self.location}: {self.reason}"
        return "\n".join([head, *(f"  {line}" for line in self.details)])


class CatalogChoice(NamedTuple):
    catalog: Catalog
    source: CatalogSource
    problems: list[UpdateNote]

    @property
    def refused(self) -> list[UpdateNote]:
        return [note for note in self.problems if note.refused]


def version_key(version: str) -> tuple[int, ...] | None:
    """`2026.11.1` → (2026, 11, 1); None when the version is not dotted numbers."""
    text = version.strip()
    if not _VERSION.match(text):
        return None
    return tuple(int(part) for part in text.split("."))


def update_folders(settings: Settings | None) -> list[Path]:
    """The configured folder (if any), then the user's own update folder."""
    folders = []
    if settings is not None and settings.catalog_folder is not None:
        folders.append(settings.catalog_folder)
    folders.append(data_home() / UPDATES_FOLDER)
    unique: list[Path] = []
    for folder in folders:
        if folder not in unique:
            unique.append(folder)
    return unique


def choose_catalog(
    settings: Settings | None = None,
    *,
    bundled: Path | None = None,
    folders: Sequence[Path] | None = None,
) -> CatalogChoice:
    """The catalog to use, where it came from, and the updates not used (with reasons).

    Raises CatalogError only when neither the bundled catalog nor any update loads."""
    override = os.environ.get(CATALOG_ENV)
    if bundled is None and override:
        catalog = load_catalog(Path(override))
        return CatalogChoice(
            catalog, CatalogSource("override", Path(override), catalog.version), []
        )
    bundled_dir = bundled if bundled is not None else resource_path("catalog")
    notes: list[UpdateNote] = []
    bundled_catalog: Catalog | None = None
    bundled_error: CatalogError | None = None
    try:
        bundled_catalog = load_catalog(bundled_dir)
    except CatalogError as exc:
        bundled_error = exc
    floor = version_key(bundled_catalog.version) if bundled_catalog else None
    best: tuple[tuple[int, ...], Catalog, Path] | None = None
    with tempfile.TemporaryDirectory(prefix="shenbao-catalog-") as scratch:
        for location, directory in _candidates(
            update_folders(settings) if folders is None else folders, Path(scratch), notes
        ):
            found = _consider(location, directory, floor, best[0] if best else None, notes)
            if found is not None:
                if best is not None:
                    notes.append(_superseded(best[2], best[1].version, found.version))
                best = (version_key(found.version) or (), found, location)
    if best is not None:
        _, catalog, location = best
        if bundled_error is not None:
            notes.insert(0, _bundled_note(bundled_dir, bundled_error))
        return CatalogChoice(catalog, CatalogSource("update", location, catalog.version), notes)
    if bundled_catalog is None:
        assert bundled_error is not None
        raise bundled_error
    return CatalogChoice(
        bundled_catalog, CatalogSource("bundled", bundled_dir, bundled_catalog.version), notes
    )


def _superseded(location: Path, version: str, newer: str) -> UpdateNote:
    return UpdateNote(
        location, f"版本{version}已被更新的{newer}取代 / superseded by {newer}", refused=False
    )


def _bundled_note(folder: Path, error: CatalogError) -> UpdateNote:
    return UpdateNote(
        folder,
        "内置政策目录无法加载 / the bundled catalog does not load",
        details=tuple(str(p) for p in error.problems),
    )


def _consider(
    location: Path,
    directory: Path,
    floor: tuple[int, ...] | None,
    current: tuple[int, ...] | None,
    notes: list[UpdateNote],
) -> Catalog | None:
    """The catalog at `directory` if it is valid and newer than `floor` and `current`."""
    try:
        manifest = read_yaml(directory / MANIFEST)
    except CatalogError as exc:
        notes.append(_refused(location, exc))
        return None
    version = str(manifest.get("version", "")) if isinstance(manifest, dict) else ""
    key = version_key(version)
    if key is None:
        notes.append(
            UpdateNote(
                location,
                f"版本号“{version}”无法比较（应为以点分隔的数字，如2027.1.0）/ version "
                f"{version!r} cannot be compared (use dotted numbers such as 2027.1.0)",
            )
        )
        return None
    if floor is not None and key <= floor:
        notes.append(
            UpdateNote(
                location,
                f"版本{version}不比内置版本新，未使用 / version {version} is not newer than "
                "the bundled catalog; not used",
                refused=False,
            )
        )
        return None
    if current is not None and key <= current:
        notes.append(
            UpdateNote(location, f"版本{version}不是最新的更新 / not the newest update", False)
        )
        return None
    try:
        return load_catalog(directory)
    except CatalogError as exc:
        notes.append(_refused(location, exc))
        return None


def _refused(location: Path, error: CatalogError) -> UpdateNote:
    return UpdateNote(
        location,
        "政策目录更新有误，未使用，继续使用内置目录 / the catalog update is invalid and was "
        "not used; the bundled catalog stays in use",
        details=tuple(_short(p, location) for p in error.problems),
    )


def _short(problem: CatalogProblem, location: Path) -> str:
    """A problem with its file named relative to the update (zip extracts live in a
    temporary folder that is gone by the time anyone reads this)."""
    parts = problem.file.parts
    for anchor in (MANIFEST, "policies"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            name = "/".join(parts[index:])
            where = f"{name} → {problem.location}" if problem.location else name
            return f"{where}: {problem.problem}"
    return str(problem)


def _candidates(
    folders: Sequence[Path], scratch: Path, notes: list[UpdateNote]
) -> Iterator[tuple[Path, Path]]:
    """(where the update is, the catalog folder to load) for every candidate."""
    for folder in folders:
        if not folder.is_dir():
            if folder.exists() or folder != data_home() / UPDATES_FOLDER:
                notes.append(
                    UpdateNote(
                        folder,
                        "政策目录更新文件夹不存在或无法访问 / the update folder is missing or "
                        "not reachable",
                        refused=False,
                    )
                )
            continue
        if (folder / MANIFEST).is_file():
            yield folder, folder
        try:
            entries = sorted(folder.iterdir())
        except OSError as exc:
            notes.append(UpdateNote(folder, f"无法读取 / cannot read: {exc}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir() and (entry / MANIFEST).is_file():
                yield entry, entry
            elif entry.is_file() and entry.suffix.lower() == ".zip":
                target = scratch / f"{len(list(scratch.iterdir()))}"
                try:
                    extracted = _unzip(entry, target)
                except CatalogError as exc:
                    notes.append(_refused(entry, exc))
                    continue
                yield entry, extracted
            elif (
                entry.is_file()
                and entry.suffix.lower() in (".yaml", ".yml")
                and entry.name != MANIFEST
            ):
                notes.append(
                    UpdateNote(
                        entry,
                        "单个政策文件不能作为更新：请放入完整的政策目录文件夹或.zip / a lone "
                        "policy file is not an update: drop a whole catalog folder "
                        "(catalog.yaml + policies/) or a .zip of one",
                    )
                )


def _unzip(archive: Path, target: Path) -> Path:
    """Extract the YAML files of a zipped catalog, checking every member path and
    counting the bytes actually read; returns the folder holding catalog.yaml."""

    def fail(problem: str) -> CatalogError:
        return CatalogError([CatalogProblem(archive, "", problem)])

    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [m for m in zipped.infolist() if not m.is_dir()]
            if len(members) > ZIP_MAX_MEMBERS:
                raise fail(f"too many files ({len(members)} > {ZIP_MAX_MEMBERS})")
            budget = ZIP_MAX_BYTES
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts or ":" in member.filename:
                    raise fail(f"unsafe path in archive: {member.filename!r}")
                if name.suffix.lower() not in (".yaml", ".yml"):
                    continue
                out = target.joinpath(*name.parts)
                with zipped.open(member) as source, atomic_file(out) as sink:
                    while chunk := source.read(65536):
                        budget -= len(chunk)
                        if budget < 0:
                            raise fail(f"more than {ZIP_MAX_BYTES:,} bytes when decompressed")
                        sink.write(chunk)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        raise fail(f"not a readable zip file: {exc}") from None
    if (target / MANIFEST).is_file():
        return target
    roots = [p for p in target.iterdir() if p.is_dir()] if target.is_dir() else []
    if len(roots) == 1 and (roots[0] / MANIFEST).is_file():
        return roots[0]
    raise fail(f"no {MANIFEST} at the top of the archive or in its one top folder")
