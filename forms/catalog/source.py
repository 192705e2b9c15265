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
About, the command line as warnings on stderr), in its language (`UpdateNote.message`).
When an update is used, `baseline` keeps the bundled catalog, so the caller can say what
the update changed (`forms.catalog.diff`).
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
from forms.text import Text

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
        text = Text.of(f"catalog.source.{self.kind}", version=self.version, location=self.location)
        return text.render(lang)


@dataclass(frozen=True)
class UpdateNote:
    """A catalog update that was not used. `refused`: it is broken (warn about it);
    otherwise it is simply not newer, or its folder is not reachable (shown in About).
    `details` are the update's problems, each with its file named inside the update."""

    location: Path
    reason: Text
    refused: bool = True
    details: tuple[tuple[str, Text], ...] = field(default=())

    def message(self, lang: str = "zh") -> str:
        head = f"{self.location}: {self.reason.render(lang)}"
        lines = [f"  {where}: {problem.render(lang)}" for where, problem in self.details]
        return "\n".join([head, *lines])

    def __str__(self) -> str:
        return self.message("en")


class CatalogChoice(NamedTuple):
    catalog: Catalog
    source: CatalogSource
    problems: list[UpdateNote]
    #: The bundled catalog when an update is in use (what the update changed is
    #: `diff_catalogs(baseline, catalog)`); None otherwise.
    baseline: Catalog | None = None

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
        source = CatalogSource("update", location, catalog.version)
        return CatalogChoice(catalog, source, notes, bundled_catalog)
    if bundled_catalog is None:
        assert bundled_error is not None
        raise bundled_error
    return CatalogChoice(
        bundled_catalog, CatalogSource("bundled", bundled_dir, bundled_catalog.version), notes
    )


def load_catalog_at(location: Path) -> Catalog:
    """A catalog from a folder or a .zip of one (as an update is dropped in), checked
    like any other; raises CatalogError with the problems."""
    if location.is_file() and location.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="shenbao-catalog-") as scratch:
            return load_catalog(_unzip(location, Path(scratch) / "0"))
    return load_catalog(location)


def _superseded(location: Path, version: str, newer: str) -> UpdateNote:
    reason = Text.of("catalog.update.superseded", version=version, newer=newer)
    return UpdateNote(location, reason, refused=False)


def _bundled_note(folder: Path, error: CatalogError) -> UpdateNote:
    return UpdateNote(
        folder,
        Text.of("catalog.update.bundled_broken"),
        details=tuple(_where(p, folder) for p in error.problems),
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
        notes.append(UpdateNote(location, Text.of("catalog.update.bad_version", version=version)))
        return None
    if floor is not None and key <= floor:
        reason = Text.of("catalog.update.not_newer", version=version)
        notes.append(UpdateNote(location, reason, refused=False))
        return None
    if current is not None and key <= current:
        reason = Text.of("catalog.update.not_newest", version=version)
        notes.append(UpdateNote(location, reason, refused=False))
        return None
    try:
        return load_catalog(directory)
    except CatalogError as exc:
        notes.append(_refused(location, exc))
        return None


def _refused(location: Path, error: CatalogError) -> UpdateNote:
    return UpdateNote(
        location,
        Text.of("catalog.update.invalid"),
        details=tuple(_where(p, location) for p in error.problems),
    )


def _where(problem: CatalogProblem, location: Path) -> tuple[str, Text]:
    """A problem with its file named relative to the update (zip extracts live in a
    temporary folder that is gone by the time anyone reads this)."""
    parts = problem.file.parts
    name = str(problem.file)
    for anchor in (MANIFEST, "policies"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            name = "/".join(parts[index:])
            break
    where = f"{name} → {problem.location}" if problem.location else name
    return where, problem.problem


def _candidates(
    folders: Sequence[Path], scratch: Path, notes: list[UpdateNote]
) -> Iterator[tuple[Path, Path]]:
    """(where the update is, the catalog folder to load) for every candidate."""
    for folder in folders:
        if not folder.is_dir():
            if folder.exists() or folder != data_home() / UPDATES_FOLDER:
                reason = Text.of("catalog.update.folder_missing")
                notes.append(UpdateNote(folder, reason, refused=False))
            continue
        if (folder / MANIFEST).is_file():
            yield folder, folder
        try:
            entries = sorted(folder.iterdir())
        except OSError as exc:
            notes.append(UpdateNote(folder, Text.of("catalog.update.cannot_read", error=exc)))
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
                notes.append(UpdateNote(entry, Text.of("catalog.update.lone_file")))


def _unzip(archive: Path, target: Path) -> Path:
    """Extract the YAML files of a zipped catalog, checking every member path and
    counting the bytes actually read; returns the folder holding catalog.yaml."""

    def fail(code: str, **params: object) -> CatalogError:
        return CatalogError([CatalogProblem(archive, "", Text.of(code, **params))])

    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [m for m in zipped.infolist() if not m.is_dir()]
            if len(members) > ZIP_MAX_MEMBERS:
                raise fail("catalog.zip.too_many", count=len(members), limit=ZIP_MAX_MEMBERS)
            budget = ZIP_MAX_BYTES
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts or ":" in member.filename:
                    raise fail("catalog.zip.unsafe_path", name=member.filename)
                if name.suffix.lower() not in (".yaml", ".yml"):
                    continue
                out = target.joinpath(*name.parts)
                with zipped.open(member) as source, atomic_file(out) as sink:
                    while chunk := source.read(65536):
                        budget -= len(chunk)
                        if budget < 0:
                            raise fail("catalog.zip.too_big", limit=f"{ZIP_MAX_BYTES:,}")
                        sink.write(chunk)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        raise fail("catalog.zip.unreadable", error=exc) from None
    if (target / MANIFEST).is_file():
        return target
    roots = [p for p in target.iterdir() if p.is_dir()] if target.is_dir() else []
    if len(roots) == 1 and (roots[0] / MANIFEST).is_file():
        return roots[0]
    raise fail("catalog.zip.no_manifest")
