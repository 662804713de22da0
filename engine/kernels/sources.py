"""The kernels Tessera ships and where their CUDA sources are.

The ``.cu`` files live in the project's ``cuda/`` folder (sources only: a ``cuda``
package would shadow cuda-python's ``cuda`` namespace). A source checkout or editable
install reads them there; a wheel installs them as data files under
``<prefix>/share/tessera/cuda`` (``pyproject.toml``, ``[tool.setuptools.data-files]``).
"""
from __future__ import annotations

import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class KernelSpec:
    """One ``.cu`` file and the ``extern "C"`` entry points it defines."""

    name: str
    file: str
    entries: tuple[str, ...]
    replaces: str  # the code path the kernel speeds up, for the status listing
    # where its GPU test (tests/test_kernels_gpu.py) passed, e.g. "H200, 2026-12-06"; until
    # then the engine runs the torch reference unless TESSERA_KERNELS=1 asks for the kernel
    verified_on: str = ""


KERNELS: dict[str, KernelSpec] = {k.name: k for k in (
    KernelSpec("bio_viterbi", "bio_viterbi.cu", ("bio_viterbi",), "constrained BIO decoding (tagger predict)"),
    KernelSpec("sampling", "sampling.cu", ("sample_token",), "chat sampling (penalty, temperature, top-k/p, draw)"),
    KernelSpec("int8_matvec", "int8_matvec.cu", ("int8_matvec_f32", "int8_matvec_bf16"),
               "int8 weight-only matrix-vector (quantized chat decoding)"),
    KernelSpec("cross_entropy_rows", "cross_entropy_rows.cu", ("cross_entropy_rows",),
               "fused linear + cross-entropy row step (chat fine-tuning)"),
    KernelSpec("llama_decode", "llama_decode.cu",
               tuple(f"{k}_{t}" for t in ("f32", "bf16")
                     for k in ("fused_matvec", "rope_kv_append", "attention_decode", "embed_row")),
               "the llama decode step: 6 kernels per layer (chat decoding on a GPU)"),
)}


class SourceMissing(FileNotFoundError):
    """A kernel's ``.cu`` file is in neither place it is looked for."""


def source_dirs() -> list[Path]:
    """Return the folders searched for ``.cu`` files, in order: the ``cuda/`` folder
    beside ``engine/`` (source tree, editable install), then ``share/tessera/cuda``
    under the install prefix this file was installed to (a venv, ``--user``,
    ``--prefix``: the first folder above it that has one), ``sys.prefix`` and the
    ``data`` scheme path."""
    here = Path(__file__).resolve()
    out = [here.parents[2] / "cuda"]
    rel = Path("share") / "tessera" / "cuda"
    above = next((p / rel for p in here.parents[3:] if (p / rel).is_dir()), None)
    for p in (above, Path(sys.prefix) / rel, Path(sysconfig.get_paths()["data"]) / rel):
        if p is not None and p not in out:
            out.append(p)
    return out


def read_source(spec: KernelSpec) -> bytes:
    """Return the CUDA source of ``spec``.

    Raises:
        SourceMissing: the file is in none of :func:`source_dirs` (a damaged install).
    """
    for folder in source_dirs():
        path = folder / spec.file
        if path.is_file():
            return path.read_bytes()
    raise SourceMissing(f"The CUDA source {spec.file} is missing (looked in "
                        f"{', '.join(str(d) for d in source_dirs())}); reinstall Tessera.")
