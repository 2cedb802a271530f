"""Writing output files whole or not at all.

A file is written to a temporary file in the target's folder and then renamed over the
target (`os.replace`, atomic on one file system): a command that fails half way, or is
interrupted, leaves the previous file (or none), never half of a new one. Targets that
cannot be written (a missing folder, a folder, a read-only file) are refused before any
work, by `check_output_path`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


def check_output_path(path: str | Path, what: str = "output file") -> Path:
    """``path`` as a `Path` if a file can be written there, else a ValueError saying why.

    Examples
    --------
    >>> check_output_path("/no/such/plan.csv", "-o")
    Traceback (most recent call last):
    ...
    ValueError: cannot write -o '/no/such/plan.csv': the folder '/no/such' does not exist; create it first
    """
    target = Path(path)
    shown = f"cannot write {what} {str(target)!r}"
    if not str(path).strip():
        raise ValueError(f"{what} must be a file name, got {str(path)!r}")
    if target.is_dir():
        raise ValueError(f"{shown}: it is a folder; give a file name inside it")
    folder = target.parent
    if not folder.exists():
        raise ValueError(f"{shown}: the folder {str(folder)!r} does not exist; create it first")
    if not folder.is_dir():
        raise ValueError(f"{shown}: {str(folder)!r} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"{shown}: the folder {str(folder)!r} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise ValueError(f"{shown}: the file is read-only")
    return target


def check_output_folder(path: str | Path, what: str = "output folder") -> Path:
    """A folder to write files into, created if missing (its parent must exist).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as parent:
    ...     check_output_folder(Path(parent) / "data").is_dir()
    True
    """
    folder = Path(path)
    shown = f"{what} {str(folder)!r}"
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"cannot write into {shown}: it is a file, not a folder")
    if not folder.exists():
        check_output_path(folder, what)
        try:
            folder.mkdir()
        except OSError as exc:
            raise ValueError(f"cannot create {shown}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"cannot write into {shown}: the folder is not writable")
    return folder


@contextlib.contextmanager
def atomic_path(path: str | Path, what: str = "output file") -> Iterator[Path]:
    """A temporary path to write; on success it replaces ``path``, on failure it is removed.

    The temporary file is in the target's folder and ends with the target's suffix (for
    writers that choose a format by it). Write errors (a full disk) become a ValueError
    naming the target.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = Path(folder) / "plan.csv"
    ...     try:
    ...         with atomic_path(target) as tmp:
    ...             _ = tmp.write_text("half a pl")
    ...             raise RuntimeError("interrupted")
    ...     except RuntimeError:
    ...         pass
    ...     sorted(Path(folder).iterdir())
    []
    """
    target = check_output_path(path, what)
    shown = f"{what} {str(target)!r}"
    tmp = target.parent / f".{target.stem}-{secrets.token_hex(4)}.tmp{target.suffix}"
    try:
        # Opened by hand rather than by tempfile: 0o666 less the umask, as a plain write gives.
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise ValueError(f"cannot write {shown}: {exc.strerror or exc}") from None
    try:
        yield tmp
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except OSError as exc:
        raise ValueError(f"cannot write {shown}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def write_bytes_atomic(path: str | Path, data: bytes, what: str = "output file") -> None:
    r"""Write ``data`` to ``path`` whole or not at all (see `atomic_path`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_bytes_atomic(Path(folder) / "a.bin", b"\x00\x01")
    ...     (Path(folder) / "a.bin").read_bytes()
    b'\x00\x01'
    """
    with atomic_path(path, what) as tmp, open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_text_atomic(path: str | Path, text: str, what: str = "output file", *,
                      encoding: str = "utf-8") -> None:
    r"""Write ``text`` to ``path`` whole or not at all (see `atomic_path`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_text_atomic(Path(folder) / "plan.csv", "calls\n12\n")
    ...     (Path(folder) / "plan.csv").read_text()
    'calls\n12\n'
    """
    write_bytes_atomic(path, text.encode(encoding), what)
