#!/usr/bin/env bash
# Pack what the CUDA kernels need on a lent GPU machine that has torch but no NVRTC or
# cuda-python (it cannot reach PyPI): libnvrtc 13 and its builtins, libcudart, and the
# cuda-python packages, from this machine's installed wheels, as .gpu/nvrtc.tar.xz
# (about 48 MB: carry it alone, `carry: [".gpu/nvrtc.tar.xz"]`, then run
# `tests/bench/gpu_checks.sh kernels`, which unpacks it onto PYTHONPATH).
set -euo pipefail
cd "$(dirname "$0")/../.."
site=$(python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
mkdir -p .gpu
( cd "$site" && tar -cf - nvidia/cu13/lib/libnvrtc.so.13 nvidia/cu13/lib/libnvrtc-builtins.so.* \
    nvidia/cu13/lib/libcudart.so.13 cuda/bindings cuda/core cuda/pathfinder \
    cuda_bindings-*.dist-info cuda_core-*.dist-info cuda_pathfinder-*.dist-info ) | xz -T2 -6 > .gpu/nvrtc.tar.xz
ls -la .gpu/nvrtc.tar.xz
