"""NVRTC compilation of the kernels to CUBIN, cached on disk.

NVRTC comes from the ``nvidia-cuda-nvrtc`` wheel (pulled in by ``cuda-toolkit[nvrtc]``);
cuda-python's ``cuda.pathfinder`` finds it, so compiling needs no GPU and no system CUDA.
A CUBIN is machine code for one architecture (``sm_80``: A100, ``sm_90``: H100/H200);
the cache key is the source's hash, the architecture, the options and the NVRTC
version, so an edited ``.cu`` file or a new NVRTC compiles again and nothing stale runs.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from engine.kernels.sources import KernelSpec, read_source
from engine.paths import user_data_dir

OPTIONS = ("--std=c++17", "-lineinfo")


class NvrtcUnavailable(RuntimeError):
    """NVRTC cannot be loaded (the CUDA toolkit wheels are not installed)."""


class CompileError(RuntimeError):
    """NVRTC refused a kernel; the message carries NVRTC's log."""


@dataclass(frozen=True)
class Compiled:
    """A compiled kernel: its CUBIN, how long compiling took (0 when from the cache)."""

    spec: KernelSpec
    arch: str
    cubin: bytes
    seconds: float
    cached: bool
    path: Path


def _nvrtc():
    """Return the ``cuda.bindings.nvrtc`` module after checking libnvrtc loads.

    Raises:
        NvrtcUnavailable: cuda-python or libnvrtc is missing.
    """
    try:
        from cuda.bindings import nvrtc

        err, major, minor = nvrtc.nvrtcVersion()
    except Exception as exc:  # ImportError, DynamicLibNotFoundError, RuntimeError from the loader
        raise NvrtcUnavailable(
            f"NVRTC is not available ({type(exc).__name__}: {exc}); install the CUDA toolkit wheels with "
            "pip install \"cuda-toolkit[nvrtc,cudart]\"") from None
    if err != nvrtc.nvrtcResult.NVRTC_SUCCESS:
        raise NvrtcUnavailable(f"NVRTC does not answer ({err}).")
    return nvrtc


def nvrtc_version() -> tuple[int, int]:
    """Return NVRTC's ``(major, minor)`` version.

    Raises:
        NvrtcUnavailable: NVRTC cannot be loaded.
    """
    _, major, minor = _nvrtc().nvrtcVersion()
    return int(major), int(minor)


def cache_dir() -> Path:
    """Return (and create) the folder of compiled kernels."""
    d = user_data_dir() / "kernels"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _check(nvrtc, result, prog=None, what: str = "") -> None:
    if result == nvrtc.nvrtcResult.NVRTC_SUCCESS:
        return
    log = ""
    if prog is not None:
        _, size = nvrtc.nvrtcGetProgramLogSize(prog)
        buf = b" " * size
        nvrtc.nvrtcGetProgramLog(prog, buf)
        log = buf.rstrip(b"\x00 ").decode("utf-8", "replace")
    raise CompileError(f"NVRTC could not compile {what} ({result.name}).\n{log}".rstrip())


def compile_kernel(spec: KernelSpec, arch: str, *, use_cache: bool = True) -> Compiled:
    """Return ``spec`` compiled to a CUBIN for ``arch`` (e.g. ``"sm_90"``), from the cache
    when the same source, options and NVRTC compiled it before.

    Raises:
        NvrtcUnavailable: NVRTC cannot be loaded.
        CompileError: NVRTC refused the source (the message holds its log).
        SourceMissing: the ``.cu`` file is not installed.
    """
    nvrtc = _nvrtc()
    source = read_source(spec)
    version = tuple(int(v) for v in nvrtc.nvrtcVersion()[1:])
    options = (f"--gpu-architecture={arch}",) + OPTIONS
    key = hashlib.sha256(b"\0".join([source, arch.encode(), " ".join(options).encode(),
                                     f"{version}".encode()])).hexdigest()[:20]
    path = cache_dir() / f"{spec.name}-{arch}-{key}.cubin"
    if use_cache and path.is_file():
        return Compiled(spec, arch, path.read_bytes(), 0.0, True, path)
    t = time.perf_counter()
    err, prog = nvrtc.nvrtcCreateProgram(source, spec.file.encode(), 0, [], [])
    _check(nvrtc, err, what=spec.file)
    try:
        opts = [o.encode() for o in options]
        err, = nvrtc.nvrtcCompileProgram(prog, len(opts), opts)
        _check(nvrtc, err, prog, f"{spec.file} for {arch}")
        err, size = nvrtc.nvrtcGetCUBINSize(prog)
        _check(nvrtc, err, prog, spec.file)
        cubin = b" " * size
        err, = nvrtc.nvrtcGetCUBIN(prog, cubin)
        _check(nvrtc, err, prog, spec.file)
    finally:
        nvrtc.nvrtcDestroyProgram(prog)
    seconds = time.perf_counter() - t
    tmp = path.with_suffix(f".{os.getpid()}.part")  # written whole, then renamed
    tmp.write_bytes(cubin)
    os.replace(tmp, path)
    return Compiled(spec, arch, cubin, seconds, False, path)
