"""The catalog cache (cchc/catalog_cache.py): used when current, equal to a fresh load,
rebuilt when a catalog file changes, and never a reason for a read to fail."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cchc import catalog_cache
from cchc.catalog import CATALOG_DIR, Catalog, _checked_catalog, _load_catalog, load_catalog
from cchc.rules import Rule


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A copy of the shipped catalog (as an office's own) and an empty cache folder."""
    own = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, own)
    cache = tmp_path / "cache"
    monkeypatch.setenv(catalog_cache.CACHE_ENV, str(cache))
    return own, cache


class Counting:
    """`_checked_catalog`, counting how often the YAML is really loaded."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, directory: Path) -> Catalog:
        self.calls += 1
        return _checked_catalog(directory)


def plain(obj: Any) -> Any:
    """A catalog as comparable data: every compared dataclass field, a rule as its text."""
    if isinstance(obj, Rule):
        return ("rule", obj.expr, obj.refs)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return (type(obj).__name__, {f.name: plain(getattr(obj, f.name))
                                     for f in dataclasses.fields(obj) if f.compare})
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return tuple(plain(v) for v in obj)
    return obj


def cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("*")) if cache.exists() else []


def test_the_second_load_comes_from_the_cache_and_equals_a_fresh_load(
        folders: tuple[Path, Path]) -> None:
    own, cache = folders
    build = Counting()
    first = catalog_cache.cached(own, build)
    assert build.calls == 1
    assert [p.name for p in cache_files(cache)] == [_the_cache_file(cache).name]
    again = catalog_cache.cached(own, build)
    assert build.calls == 1  # not loaded again
    fresh = _checked_catalog(own)
    assert plain(again) == plain(fresh) == plain(first)
    assert [f.id for f in again.forms] == [f.id for f in fresh.forms]
    # the derived parts work: items by id, children, titles
    for form, expected in zip(again.forms, fresh.forms, strict=True):
        assert [i.id for i in form.items] == [i.id for i in expected.items]
        for item in expected.items:
            assert form.item(item.id) == item
        assert form.derived == {}


def test_rules_from_the_cache_evaluate_as_the_compiled_ones(folders: tuple[Path, Path]) -> None:
    own, _ = folders
    catalog_cache.cached(own, Counting())
    cached = catalog_cache.cached(own, Counting())
    fresh = _checked_catalog(own)
    rules = [(a, b) for fa, fb in zip(cached.forms, fresh.forms, strict=True)
             for a, b in zip(fa.rules, fb.rules, strict=True)]
    assert rules
    for a, b in rules:
        assert (a.id, a.finding, a.severity, a.message) == (b.id, b.finding, b.severity,
                                                            b.message)
        for env in ({ref: 1.0 for ref in b.rule.refs},
                    {ref: float(n) for n, ref in enumerate(b.rule.refs)},
                    {ref: float(-n) for n, ref in enumerate(b.rule.refs)},
                    {}):
            assert a.rule.evaluate(env) == b.rule.evaluate(env)


def test_a_warm_cache_needs_neither_yaml_nor_the_rule_parser(
        folders: tuple[Path, Path]) -> None:
    own, cache = folders
    code = ("import sys\nfrom pathlib import Path\nfrom cchc.catalog import load_catalog\n"
            "c = load_catalog(Path(sys.argv[1]))\n"
            "print(sorted(m for m in ('yaml', 'lark') if m in sys.modules))\n"
            "rule = next(r for f in c.forms for r in f.rules)\n"
            "rule.rule.evaluate({ref: 1.0 for ref in rule.rule.refs})\n"
            "print('lark' in sys.modules)\n")
    env = {**os.environ, catalog_cache.CACHE_ENV: str(cache)}
    cold = subprocess.run([sys.executable, "-c", code, str(own)], capture_output=True,
                          text=True, check=True, env=env).stdout.split("\n")
    assert cold[0] == "['lark', 'yaml']"
    warm = subprocess.run([sys.executable, "-c", code, str(own)], capture_output=True,
                          text=True, check=True, env=env).stdout.split("\n")
    assert warm[:2] == ["[]", "True"]  # the parser comes in when a rule is first evaluated


def test_an_edited_form_is_loaded_again(folders: tuple[Path, Path]) -> None:
    own, _ = folders
    build = Counting()
    form_file = sorted((own / "forms").glob("*.yaml"))[0]
    before = catalog_cache.cached(own, build)
    text = form_file.read_text(encoding="utf-8")
    first_label = next(i.label for i in before.forms[0].items if i.label)
    edited = text.replace(first_label, first_label.upper(), 1)
    assert edited != text
    form_file.write_text(edited, encoding="utf-8")
    after = catalog_cache.cached(own, build)
    assert build.calls == 2
    assert first_label.upper() in [i.label for i in after.forms[0].items]
    assert catalog_cache.cached(own, build) is not None and build.calls == 2


def test_a_same_size_edit_with_the_old_mtime_is_noticed(folders: tuple[Path, Path]) -> None:
    own, _ = folders
    build = Counting()
    form_file = sorted((own / "forms").glob("*.yaml"))[0]
    catalog_cache.cached(own, build)
    st = form_file.stat()
    text = form_file.read_text(encoding="utf-8")
    swapped = text.replace("title:", "title:", 1)  # same text: no content change
    form_file.write_text(swapped, encoding="utf-8")
    os.utime(form_file, ns=(st.st_atime_ns, st.st_mtime_ns))
    catalog_cache.cached(own, build)
    assert build.calls == 1  # nothing changed
    catalog = _checked_catalog(own)
    label = next(i.label for i in catalog.forms[0].items if len(i.label) > 3)
    same_size = label[::-1]
    form_file.write_text(text.replace(label, same_size, 1), encoding="utf-8")
    os.utime(form_file, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert form_file.stat().st_size == st.st_size
    after = catalog_cache.cached(own, build)
    assert build.calls == 2
    assert same_size in [i.label for i in after.forms[0].items]


def test_a_touched_form_file_is_loaded_again(folders: tuple[Path, Path]) -> None:
    own, _ = folders
    build = Counting()
    form_file = sorted((own / "forms").glob("*.yaml"))[0]
    catalog_cache.cached(own, build)
    st = form_file.stat()
    os.utime(form_file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    catalog_cache.cached(own, build)
    assert build.calls == 2


def test_an_added_or_removed_form_is_noticed(folders: tuple[Path, Path]) -> None:
    own, _ = folders
    build = Counting()
    forms = sorted((own / "forms").glob("*.yaml"))
    n = len(catalog_cache.cached(own, build).forms)
    removed = forms[-1].read_bytes()
    forms[-1].unlink()
    assert len(catalog_cache.cached(own, build).forms) == n - 1
    forms[-1].write_bytes(removed)
    assert len(catalog_cache.cached(own, build).forms) == n
    assert build.calls == 3


def _the_cache_file(cache: Path) -> Path:
    (path,) = cache.glob("catalog-*.pickle")
    return path


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "flipped byte",
                                    "other key", "not a catalog", "evil pickle"])
def test_a_damaged_cache_file_is_ignored_and_rewritten(folders: tuple[Path, Path],
                                                       damage: str) -> None:
    own, cache = folders
    build = Counting()
    good = catalog_cache.cached(own, build)
    path = _the_cache_file(cache)
    data = path.read_bytes()
    head = len(catalog_cache.FORMAT) + 64
    key = data[len(catalog_cache.FORMAT):len(catalog_cache.FORMAT) + 32]

    def signed(payload: bytes, key: bytes = key) -> bytes:
        import hashlib

        return catalog_cache.FORMAT + key + hashlib.sha256(payload).digest() + payload

    class Evil:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.remove, (str(own / "concepts.yaml"),))

    path.write_bytes({
        "truncated": data[:len(data) // 2],
        "empty": b"",
        "garbage": os.urandom(len(data)),
        "flipped byte": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
        "other key": signed(data[head:], bytes(32)),
        "not a catalog": signed(pickle.dumps({"forms": ()})),
        "evil pickle": signed(pickle.dumps(Evil())),
    }[damage])
    again = catalog_cache.cached(own, build)
    assert build.calls == 2
    assert plain(again) == plain(good)
    assert (own / "concepts.yaml").is_file()  # nothing in a cache file is ever run
    rewritten = catalog_cache._read(path, catalog_cache.catalog_key(own, cache))
    assert rewritten is not None
    assert [p.name for p in cache_files(cache)] == [path.name]


def test_an_unusable_cache_folder_falls_back_to_loading(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(catalog_cache.CACHE_ENV, str(blocker / "cache"))
    build = Counting()
    catalog = catalog_cache.cached(CATALOG_DIR, build)
    assert catalog.forms and build.calls == 1
    catalog_cache.cached(CATALOG_DIR, build)
    assert build.calls == 2
    assert blocker.read_text() == "not a folder"


def test_a_failed_write_leaves_no_file(folders: tuple[Path, Path],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    own, cache = folders
    cache.mkdir()

    def fail(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(catalog_cache.os, "replace", fail)
    assert catalog_cache.cached(own, Counting()).forms
    assert cache_files(cache) == []  # neither the cache file nor a temporary one


def test_a_write_that_fails_midway_leaves_no_file(folders: tuple[Path, Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    own, cache = folders
    real_fdopen = os.fdopen

    class Stopped:
        def __init__(self, fd: int, mode: str) -> None:
            self.fh = real_fdopen(fd, mode)

        def __enter__(self) -> Stopped:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> None:
            self.fh.write(data[:100])
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(catalog_cache.os, "fdopen", Stopped)
    assert catalog_cache.cached(own, Counting()).forms
    assert cache_files(cache) == []


def test_a_killed_writers_temporary_file_is_never_read(folders: tuple[Path, Path]) -> None:
    """Only a complete file is ever renamed into place; a temporary one left by a writer
    that was killed is not read, and is removed once it is old."""
    own, cache = folders
    cache.mkdir()
    stray = cache / ".catalog-killed.tmp"
    stray.write_bytes(catalog_cache.FORMAT + b"half")
    build = Counting()
    catalog_cache.cached(own, build)
    catalog_cache.cached(own, build)
    assert build.calls == 1
    assert stray.exists()  # maybe another process is still writing it
    os.utime(stray, (0, 0))
    catalog_cache.cached(Path(shutil.copytree(CATALOG_DIR, own.parent / "other")), build)
    assert not stray.exists()


def test_an_invalid_catalog_is_not_cached(folders: tuple[Path, Path]) -> None:
    own, cache = folders
    form_file = sorted((own / "forms").glob("*.yaml"))[0]
    form_file.write_text("id: [unclosed\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ValueError, match="YAML"):
            catalog_cache.cached(own, _checked_catalog)
    assert cache_files(cache) == []


def test_a_cache_folder_inside_the_catalog_folder_still_works(
        folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    own, _ = folders
    monkeypatch.setenv(catalog_cache.CACHE_ENV, str(own / ".cache"))
    build = Counting()
    for _ in range(3):
        catalog_cache.cached(own, build)
    assert build.calls == 1


def test_the_cache_can_be_turned_off(folders: tuple[Path, Path],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    own, cache = folders
    monkeypatch.setenv(catalog_cache.CACHE_ENV, "off")
    build = Counting()
    catalog_cache.cached(own, build)
    catalog_cache.cached(own, build)
    assert build.calls == 2 and not cache.exists()


def test_the_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.delenv(catalog_cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert catalog_cache.cache_dir() == tmp_path / "xdg" / "cchc"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert catalog_cache.cache_dir() == tmp_path / ".cache" / "cchc"


def test_load_catalog_uses_the_cache_with_an_offices_own_catalog(
        folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    own, cache = folders
    extra = sorted((own / "forms").glob("*.yaml"))[0]
    data = yaml.safe_load(extra.read_text(encoding="utf-8"))
    data["id"] = "office-own-form"
    (own / "forms" / "zz-office-own.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("CCHC_CATALOG_DIR", str(own))
    _load_catalog.cache_clear()
    try:
        catalog = load_catalog()
        assert catalog.form("office-own-form") is not None
        (path,) = cache.glob("catalog-*.pickle")
        _load_catalog.cache_clear()
        assert plain(load_catalog()) == plain(catalog)
        assert catalog_cache._read(path, catalog_cache.catalog_key(own, cache)) is not None
        # the shipped catalog has a cache file of its own
        monkeypatch.delenv("CCHC_CATALOG_DIR")
        shipped = load_catalog()
        assert shipped.form("office-own-form") is None
        assert len(list(cache.glob("catalog-*.pickle"))) == 2
    finally:
        _load_catalog.cache_clear()


def test_old_cache_files_are_pruned(folders: tuple[Path, Path],
                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, cache = folders
    monkeypatch.setattr(catalog_cache, "MAX_FILES", 2)
    for n in range(4):
        copy = tmp_path / f"copy{n}"
        shutil.copytree(CATALOG_DIR, copy)
        catalog_cache.cached(copy, Counting())
    assert len(list(cache.glob("catalog-*.pickle"))) == 2
    build = Counting()
    catalog_cache.cached(tmp_path / "copy3", build)
    assert build.calls == 0  # the newest is kept


def test_the_c_loader_reads_the_same_data_and_errors_read_as_before() -> None:
    files = [CATALOG_DIR / "concepts.yaml", *sorted((CATALOG_DIR / "forms").glob("*.yaml"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert catalog_cache.load_yaml(text) == yaml.safe_load(text)
    bad = "id: x\nitems:\n  - code: 1\n   label: misaligned\n"
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.safe_load(bad)
    with pytest.raises(yaml.YAMLError) as ours:
        catalog_cache.load_yaml(bad)
    assert str(ours.value) == str(pure.value)
