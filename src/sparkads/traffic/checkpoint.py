"""Columnar checkpoints of the traffic `traffic.store` holds in memory, so that a process that
starts does not read a million rows through the driver (seconds of CPU per million) before its
first forecast or audience estimate.

A checkpoint is one uncompressed `.npz` file per kind (`log.npz`: the log's rows of the window
held, up to its newest row; `profiles.npz`: every profile, up to the newest `last_seen`), holding
NumPy arrays (the viewer columns as `columns.ViewerColumns` keeps them, times in microseconds,
keys and other texts as one UTF-8 blob each) and what it was made from: this format's version,
the database (address, password hidden), its schema revision, a keyed fingerprint of the
viewer-key secret (a different deployment or a new secret never matches) and of the catalogue's
codes (the columns are codes into it). Reading one costs a few tens of milliseconds per million
rows. The database stays the source of truth: the store checks a checkpoint's rows against the
tables (`traffic.store`) and reads only what came after it; a file that is missing, unreadable,
truncated, of another version or made from something else is ignored with a log line and the
tables are read in full. Files are written to a temporary name and renamed over the old one
(`os.replace`), so a reader sees the old checkpoint or the new one, never half of one. Only what
the tables hold is written: viewer keys (keyed hashes), never viewer ids."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from sparkads.audiences.keys import installed, key_of_digest
from sparkads.traffic.columns import PER_VIEWER, ViewerColumns, empty, vocabulary
from sparkads.traffic.vocabulary import (
    BEHAVIOURS,
    GENDERS,
    MAX_BEHAVIOURS,
    MAX_INTERESTS,
    NETWORKS,
    OPERATING_SYSTEMS,
)

FORMAT = 2  # 2: written from the packed attributes (migration 0019)
logger = logging.getLogger(__name__)
Arrays = dict[str, NDArray[np.generic]]
Meta = dict[str, object]


def identity(session: Session) -> dict[str, str] | None:
    """What a checkpoint of this database must have been made from (None: no checkpoint can be
    trusted here, e.g. no viewer-key secret installed or an unmigrated database)."""
    connection = session.connection()
    if not installed() or not inspect(connection).has_table("alembic_version"):
        return None
    schema = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return {
        "database": session.get_bind().engine.url.render_as_string(hide_password=True),
        "schema": str(schema),
        "secret": key_of_digest(hashlib.sha256(b"sparkads traffic checkpoint").digest()),
        "catalogue": _catalogue(),
    }


@cache
def _catalogue() -> str:
    vocab = vocabulary()
    tables = (vocab.countries, vocab.regions, vocab.languages, vocab.interest_ids,
              vocab.interest_top.tolist(), BEHAVIOURS, GENDERS, OPERATING_SYSTEMS, NETWORKS,
              MAX_INTERESTS, MAX_BEHAVIOURS)  # fmt: skip
    return hashlib.sha256(repr(tables).encode()).hexdigest()[:32]


def save(directory: Path, kind: str, meta: Meta, arrays: Arrays) -> Path:
    """Write `<directory>/<kind>.npz` atomically (a temporary file renamed over it)."""
    directory.mkdir(parents=True, exist_ok=True)
    blob = np.frombuffer(json.dumps({**meta, "format": FORMAT}).encode(), np.uint8)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{kind}-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as npz:
            for name, array in {"meta": blob, **arrays}.items():  # what `np.savez` writes
                with npz.open(f"{name}.npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)
        os.replace(temporary, directory / f"{kind}.npz")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return directory / f"{kind}.npz"


def load(directory: Path, kind: str, expected: dict[str, str]) -> tuple[Meta, Arrays] | None:
    """The checkpoint's metadata and arrays, or None (logged) when there is none, it cannot be
    read whole, or it was made by another format or from something else than `expected`."""
    path = directory / f"{kind}.npz"
    if not path.exists():
        return None
    try:
        with path.open("rb") as file:
            data = np.load(file, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise ValueError("not an .npz file")
            with data:
                meta = json.loads(bytes(data["meta"]).decode())
                if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                    logger.info("traffic checkpoint %s: another format; reading the tables", path)
                    return None
                if meta.get("identity") != expected:
                    logger.info("traffic checkpoint %s: made from another database, secret, "
                                "schema or catalogue; reading the tables", path)  # fmt: skip
                    return None
                return meta, {name: data[name] for name in data.files if name != "meta"}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        logger.warning("traffic checkpoint %s unreadable (%s); reading the tables", path, error)
        return None


def texts(values: list[str]) -> NDArray[np.uint8]:
    """Texts as one blob (newline-separated); ValueError if one holds a newline."""
    joined = "\n".join(values)
    if joined.count("\n") != max(len(values) - 1, 0):
        raise ValueError("a text holds a newline")
    return np.frombuffer(joined.encode(), np.uint8)


def texts_of(blob: NDArray[np.generic], count: int) -> list[str]:
    values = blob.tobytes().decode().split("\n") if count else []
    if len(values) != count:
        raise ValueError(f"{len(values)} texts where {count} were written")
    return values


def column_arrays(columns: ViewerColumns) -> Arrays:
    return {f"c_{name}": getattr(columns, name) for name in PER_VIEWER}


def columns_of(arrays: Arrays, count: int) -> ViewerColumns:
    """The viewer columns saved by `column_arrays`; ValueError unless each has the dtype and
    shape the columns have, for `count` rows."""
    model = empty()
    for name in PER_VIEWER:
        array, like = arrays[f"c_{name}"], getattr(model, name)
        if array.dtype != like.dtype or array.shape != (count, *like.shape[1:]):
            raise ValueError(f"column {name}: {array.dtype}{array.shape}")
    saved = SimpleNamespace(**{name: arrays[f"c_{name}"] for name in PER_VIEWER})
    return ViewerColumns(
        model.countries, model.regions, model.languages, model.interest_ids, model.interest_top,
        *(getattr(saved, name) for name in PER_VIEWER),
    )  # fmt: skip
