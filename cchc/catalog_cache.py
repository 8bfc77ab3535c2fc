"""A per-user cache of the loaded catalog, so that a process does not parse and check the
catalog's YAML again when nothing changed since the last one did.

`cached(directory, build)` returns the catalog of `directory`: from the cache file when
its key matches, else from `build(directory)` (which parses and checks the YAML, raising
ValueError for an invalid catalog: nothing is cached then), written to the cache for the
next process. The key is a digest of

* every file under the catalog folder: its path, size, mtime and content (sha256), so an
  edited form, an added or removed one, or a file the loader starts to read is noticed;
* the core's code: the path, size and mtime of every module of the `cchc` package (the
  pickled classes and the checks the loader makes are the code's), and the Python version.

The cache is only ever an accelerator. A file that cannot be read, is truncated, fails its
checksum, was written for another key or holds anything but catalog objects is ignored and
rebuilt; a cache folder that cannot be written is skipped. Files are written to a temporary
name and renamed, so a reader never sees half a file. One file per catalog folder; the
oldest are removed beyond `MAX_FILES`.

Where: the folder named by CCHC_CACHE_DIR (`off` disables the cache), else
$XDG_CACHE_HOME/cchc, else ~/.cache/cchc.

The rules of a form (`cchc.rules.Rule`) hold compiled closures, which pickle cannot store:
they are stored as their expression and compiled again on first use, so a process that
never evaluates a rule never imports the rule parser.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cchc.catalog import Catalog
    from cchc.rules import Env, Fn, Rule

CACHE_ENV = "CCHC_CACHE_DIR"
FORMAT = b"cchc-catalog-cache 1\n"  # bump when the file layout or the stored objects change
MAX_FILES = 16
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """The cache folder in use, or None when the cache is off (CCHC_CACHE_DIR=off) or
    there is no home folder to put it in."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen.lower() in ("off", "none", "0", "false"):
        return None
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "cchc"
    try:
        return Path.home() / ".cache" / "cchc"
    except RuntimeError:  # no HOME and no password entry
        return None


def cached(directory: Path, build: Callable[[Path], Catalog]) -> Catalog:
    """The catalog of `directory`, from the cache when it is current, else built."""
    folder = cache_dir()
    if folder is None:
        return build(directory)
    try:
        key = catalog_key(directory, skip=folder)
    except OSError:  # a file vanished while we looked: let the loader report it
        return build(directory)
    name = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:20]
    path = folder / f"catalog-{name}.pickle"
    found = _read(path, key)
    if found is not None:
        return found
    catalog = build(directory)
    _write(path, key, catalog)
    return catalog


def catalog_key(directory: Path, skip: Path | None = None) -> bytes:
    """The digest that decides whether a cache file still holds this catalog (`skip`: a
    cache folder inside the catalog's, whose files are not the catalog's)."""
    digest = hashlib.sha256(FORMAT)
    digest.update(sys.version.encode())
    digest.update(str(directory.resolve()).encode())
    skipped = skip.resolve() if skip is not None else None
    for path in _files(directory):
        if skipped is not None and path.resolve().is_relative_to(skipped):
            continue
        st = path.stat()
        digest.update(f"\0{path.relative_to(directory)}\0{st.st_size}\0{st.st_mtime_ns}\0"
                      .encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(b"\0code")
    for path in _files(_PACKAGE, "*.py"):
        st = path.stat()
        digest.update(f"\0{path.relative_to(_PACKAGE)}\0{st.st_size}\0{st.st_mtime_ns}"
                      .encode())
    return digest.digest()


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.rglob(pattern)
                  if "__pycache__" not in p.parts and p.is_file())


# --- reading -----------------------------------------------------------------------------


def _read(path: Path, key: bytes) -> Catalog | None:
    """The catalog stored in `path` for `key`, or None for anything else."""
    from cchc.catalog import Catalog

    try:
        with path.open("rb") as fh:
            data = fh.read()
    except OSError:
        return None
    head = len(FORMAT) + 2 * 32  # format line, key, sha256 of the payload
    if (len(data) < head or data[:len(FORMAT)] != FORMAT
            or data[len(FORMAT):len(FORMAT) + 32] != key
            or hashlib.sha256(data[head:]).digest() != data[len(FORMAT) + 32:head]):
        return None
    try:
        found = _Unpickler(data[head:]).load()
    except Exception:  # any damage means "not cached"
        return None
    return found if isinstance(found, Catalog) else None


class _Unpickler(pickle.Unpickler):
    """Builds catalog objects only: classes of the cchc package and datetime, and the
    deferred rule below; anything else in a cache file makes it unusable."""

    def __init__(self, data: bytes) -> None:
        import io

        super().__init__(io.BytesIO(data))

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, "_deferred_rule"):
            return _deferred_rule
        if module == "datetime" or module.startswith("cchc."):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"not a catalog object: {module}.{name}")


def _deferred_rule(expr: str, refs: tuple[str, ...]) -> Rule:
    from cchc.rules import Rule

    return Rule(expr=expr, refs=refs, _fn=_Deferred(expr))


class _Deferred:
    """A rule's function, compiled from its expression when first called."""

    __slots__ = ("expr", "fn")

    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.fn: Fn | None = None

    def __call__(self, env: Env) -> Any:
        if self.fn is None:
            from cchc.rules import compile_rule

            self.fn = compile_rule(self.expr)._fn
        return self.fn(env)


# --- writing -----------------------------------------------------------------------------


class _Pickler(pickle.Pickler):
    """Stores a rule as its expression (its compiled closures cannot be pickled)."""

    def __init__(self, file: IO[bytes]) -> None:
        from cchc.rules import Rule

        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._rule = Rule

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is self._rule:
            return _deferred_rule, (obj.expr, obj.refs)
        return NotImplemented


def _write(path: Path, key: bytes, catalog: Catalog) -> None:
    """Store `catalog` under `key` in `path`, atomically; any failure leaves no file."""
    import io

    try:
        buffer = io.BytesIO()
        _Pickler(buffer).dump(catalog)
    except Exception:  # an object pickle cannot store: just don't cache
        return
    payload = buffer.getvalue()
    data = FORMAT + key + hashlib.sha256(payload).digest() + payload
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        import tempfile

        fd, name = tempfile.mkstemp(prefix=".catalog-", suffix=".tmp", dir=path.parent)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent, keep=path)
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _prune(folder: Path, keep: Path) -> None:
    """Remove the oldest cache files beyond MAX_FILES (each catalog folder ever loaded,
    e.g. a test's temporary copy, has one), and temporary files an hour old (left by a
    process killed while writing)."""
    import time

    try:
        files = sorted(folder.glob("catalog-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        stale = [p for p in folder.glob(".catalog-*.tmp")
                 if p.stat().st_mtime < time.time() - 3600]
    except OSError:
        return
    for old in [*files[:-MAX_FILES], *stale]:
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()


# --- parsing -----------------------------------------------------------------------------


def load_yaml(text: str) -> Any:
    """`yaml.safe_load(text)` through libyaml (PyYAML's C loader, several times faster)
    when PyYAML was built with it. The data are the same; a text the C loader rejects is
    parsed again by the pure-Python one, so the error raised and reported
    (`yaml-invalid`) reads exactly as before."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)  # CSafeLoader: what safe_load does
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)
