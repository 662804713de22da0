"""Whether the kernels can run here, and launching them on torch tensors.

Launches go through ``cuda.core`` (cuda-python) on torch's current stream, so they
order with torch's own kernels and can be captured in a CUDA graph. Nothing here runs
without a GPU except :func:`gpu_reason` (which says why not) and :func:`kernel_args`
(argument packing, tested on the CPU).
"""
from __future__ import annotations

import os
from functools import lru_cache

from engine.kernels.compiler import NvrtcUnavailable, compile_kernel, nvrtc_version
from engine.kernels.sources import KERNELS
from engine.messages import msg

#: set to 1 (the ``--no-kernels`` option and the app's setting do) to use the references everywhere
OFF_ENV = "TESSERA_NO_KERNELS"


def kernels_off() -> bool:
    """Return whether the user turned the kernels off (``TESSERA_NO_KERNELS=1``)."""
    return os.environ.get(OFF_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def driver_cuda_version() -> tuple[int, int] | None:
    """Return the CUDA version the NVIDIA driver supports, ``(13, 0)`` style, or None
    when there is no driver (``cuInit`` finds no ``libcuda``, as on every CPU-only
    machine, where cuda-python raises ``DynamicLibNotFoundError``)."""
    try:
        from cuda.bindings import driver

        err, = driver.cuInit(0)
        if err != driver.CUresult.CUDA_SUCCESS:
            return None
        err, version = driver.cuDriverGetVersion()
        if err != driver.CUresult.CUDA_SUCCESS:
            return None
    except Exception:  # ImportError, DynamicLibNotFoundError, a driver that cannot load
        return None
    return version // 1000, (version % 1000) // 10


def gpu_reason() -> str | None:
    """Return None when the kernels can run on torch's current CUDA device, else one
    plain sentence saying why they cannot (turned off, no GPU, no NVRTC, a driver too
    old for the CUDA 13 code NVRTC writes)."""
    if kernels_off():
        return msg("the CUDA kernels are turned off (--no-kernels, the app's setting or TESSERA_NO_KERNELS=1)")
    return _hardware_reason()


@lru_cache(maxsize=1)
def _hardware_reason() -> str | None:
    """The part of :func:`gpu_reason` that cannot change while the process runs (GPU,
    NVRTC, driver): asked once, not at every kernel call of every decode step."""
    try:
        import torch

        if not torch.cuda.is_available():
            return msg("there is no CUDA GPU")
    except ImportError:
        return msg("torch is not installed")
    try:
        major, minor = nvrtc_version()
    except NvrtcUnavailable as exc:
        return str(exc)
    driver = driver_cuda_version()
    if driver is None:
        return msg("the NVIDIA driver cannot be loaded by cuda-python")
    if driver[0] < major:
        return msg("the NVIDIA driver supports CUDA {driver}, but the kernels are compiled by NVRTC {nvrtc}, whose "
                   "code needs a driver for CUDA {major} or newer; update the NVIDIA driver",
                   driver=f"{driver[0]}.{driver[1]}", nvrtc=f"{major}.{minor}", major=major)
    return None


def current_arch() -> str:
    """Return the current CUDA device's architecture, e.g. ``"sm_90"``."""
    import torch

    major, minor = torch.cuda.get_device_capability()
    return f"sm_{major}{minor}"


def kernel_args(*values) -> list:
    """Return ``values`` as the typed scalars cuda.core passes to a kernel: a tensor (or
    None) as its device pointer (``np.intp``; None is a null pointer), a bool or int as
    ``int32``, a float as ``float32``, numpy scalars unchanged.

    Raises:
        TypeError: a value of another type, or a tensor that is not contiguous.
    """
    import numpy as np

    out = []
    for v in values:
        if v is None:
            out.append(np.intp(0))
        elif hasattr(v, "data_ptr"):
            if not v.is_contiguous():
                raise TypeError("a kernel argument tensor must be contiguous")
            out.append(np.intp(v.data_ptr()))
        elif isinstance(v, np.generic):
            out.append(v)
        elif isinstance(v, (bool, int)):
            out.append(np.int32(v))
        elif isinstance(v, float):
            out.append(np.float32(v))
        else:
            raise TypeError(f"a kernel argument of type {type(v).__name__} cannot be passed")
    return out


class _TorchStream:
    """torch's current stream in the ``__cuda_stream__`` protocol cuda.core accepts."""

    def __init__(self, stream):
        self.stream = stream

    def __cuda_stream__(self) -> tuple[int, int]:
        return 0, self.stream.cuda_stream


@lru_cache(maxsize=None)
def _loaded(name: str, device_index: int, arch: str) -> dict:
    """Return ``{entry name: cuda.core Kernel}`` of kernel ``name`` loaded on a device."""
    from cuda.core import Device, ObjectCode

    Device(device_index).set_current()  # torch's primary context on that device
    spec = KERNELS[name]
    code = ObjectCode.from_cubin(compile_kernel(spec, arch).cubin, name=spec.name)
    return {e: code.get_kernel(e) for e in spec.entries}


def launch(name: str, entry: str, grid, block, shmem: int, *args) -> None:
    """Launch ``entry`` of kernel ``name`` on torch's current stream and device.

    Raises:
        CompileError, NvrtcUnavailable: the kernel cannot be compiled.
        RuntimeError: the launch fails (cuda.core's error).
    """
    import torch
    from cuda.core import LaunchConfig
    from cuda.core import launch as cuda_launch

    index = torch.cuda.current_device()
    kernel = _loaded(name, index, current_arch())[entry]
    cfg = LaunchConfig(grid=grid, block=block, shmem_size=shmem)
    cuda_launch(_TorchStream(torch.cuda.current_stream(index)), cfg, kernel, *kernel_args(*args))
