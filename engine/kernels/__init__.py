"""The CUDA kernel layer: ``cuda/*.cu`` sources compiled at run time with NVRTC through
NVIDIA's cuda-python, cached on disk, and launched on torch tensors; each kernel has a
plain-torch reference that runs on the CPU, or wherever a kernel cannot.

* :mod:`engine.kernels.sources`: which kernels exist, where their ``.cu`` files are;
* :mod:`engine.kernels.compiler`: NVRTC compilation to CUBIN and its disk cache (works
  without a GPU);
* :mod:`engine.kernels.gpu`: whether kernels can run here (one reason when not), loading
  and launching on torch's current stream;
* :mod:`engine.kernels.reference`: the torch references every kernel must match;
* :mod:`engine.kernels.ops`: what the engine calls: the kernel on a usable GPU, else the
  reference, with one log line saying why.
"""
