"""The CUDA kernel layer on a CPU machine (issue 17): every kernel compiles with NVRTC
for sm_80 and sm_90, the cache and compile errors behave, the sources ship in the
wheel, launch arguments pack, and each torch reference matches the formula it
replaces. Kernels against their references on a GPU: ``tests/test_kernels_gpu.py``."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.kernels import compiler, ops
from engine.kernels import reference as R
from engine.kernels.gpu import driver_cuda_version, gpu_reason, kernel_args
from engine.kernels.sources import KERNELS, KernelSpec, read_source, source_dirs

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- sources and NVRTC

def test_every_kernel_source_defines_its_entry_points():
    assert sorted(p.name for p in (ROOT / "cuda").iterdir()) == sorted(k.file for k in KERNELS.values())
    assert not (ROOT / "cuda" / "__init__.py").exists()  # would shadow cuda-python's ``cuda``
    for spec in KERNELS.values():
        src = read_source(spec).decode()
        cubin = compiler.compile_kernel(spec, "sm_90").cubin  # entries a macro writes are only in the binary
        for entry in spec.entries:
            assert re.search(rf'extern "C" __global__ void {entry}\(', src) or b"\0" + entry.encode() + b"\0" in cubin, \
                (spec.file, entry)


@pytest.mark.parametrize("arch", ["sm_80", "sm_90"])
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_kernel_compiles_with_nvrtc(name, arch):
    """NVRTC (from the cuda-toolkit wheels, a dependency) compiles CUBIN with no GPU."""
    out = compiler.compile_kernel(KERNELS[name], arch, use_cache=False)
    assert out.cubin[:4] == b"\x7fELF" and len(out.cubin) > 1000
    for entry in KERNELS[name].entries:
        assert entry.encode() in out.cubin  # the symbol is in the binary


def test_compiled_kernels_are_cached_by_source_and_arch(monkeypatch):
    spec = KERNELS["bio_viterbi"]
    first = compiler.compile_kernel(spec, "sm_90")
    again = compiler.compile_kernel(spec, "sm_90")
    assert again.cached and again.cubin == first.cubin and again.path == first.path
    other_arch = compiler.compile_kernel(spec, "sm_80")
    assert other_arch.path != first.path
    edited = read_source(spec) + b"\n// an edit\n"
    monkeypatch.setattr(compiler, "read_source", lambda s: edited)
    changed = compiler.compile_kernel(spec, "sm_90")
    assert not changed.cached and changed.path != first.path


def test_a_compile_error_carries_the_nvrtc_log(monkeypatch):
    broken = KernelSpec("broken", "broken.cu", ("f",), "test")
    monkeypatch.setattr(compiler, "read_source", lambda s: b'extern "C" __global__ void f() { undefined_name = 1; }')
    with pytest.raises(compiler.CompileError) as err:
        compiler.compile_kernel(broken, "sm_90")
    assert "broken.cu" in str(err.value) and "undefined_name" in str(err.value)


def test_wheel_ships_the_cuda_sources_and_an_install_finds_them(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "main.py"):
        shutil.copy(ROOT / name, src / name)
    for name in ("engine", "gui", "cuda"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path / "dist"), str(src)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("tessera-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for spec in KERNELS.values():
        assert any(n.endswith(f".data/data/share/tessera/cuda/{spec.file}") for n in names), spec.file
    assert "gui/i18n/tessera_zh_CN.qm" in names  # the interface translation ships too
    # installed the way pip lays a wheel out under a prefix (unpacked by hand: ``pip
    # install --prefix`` would first uninstall the editable install this suite runs from)
    prefix = tmp_path / "prefix"
    site = prefix / "lib" / "python3" / "site-packages"
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            data = re.match(r"tessera-[^/]+\.data/data/(.+)", name)
            target = prefix / data.group(1) if data else site / name
            if not name.endswith("/") and (data or ".data/" not in name):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(name))
    # -S: no site-packages, so neither the editable install nor this checkout is seen
    out = subprocess.run([sys.executable, "-S", "-c",
                          "import engine.kernels.sources as s; print(s.__file__); "
                          "print(len(s.read_source(s.KERNELS['sampling'])))"],
                         cwd=tmp_path, env={"PYTHONPATH": str(site)}, capture_output=True, text=True, check=True)
    file, size = out.stdout.split()
    assert file.startswith(str(site)) and int(size) == len(read_source(KERNELS["sampling"]))


def test_no_gpu_is_said_plainly(monkeypatch):
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert gpu_reason() == "there is no CUDA GPU"
    assert ops.status_line() == "CUDA kernels off: there is no CUDA GPU"
    monkeypatch.setenv("TESSERA_NO_KERNELS", "1")
    assert "turned off" in gpu_reason()
    assert not ops.use_kernel(torch.zeros(1), "sampling")  # CPU tensors take the reference


def test_runs_on_a_gpu_say_whether_kernels_are_active(monkeypatch):
    assert ops.device_note(torch.device("cpu")) is None
    monkeypatch.setattr(ops, "gpu_reason", lambda: "there is no CUDA GPU")
    assert ops.device_note(torch.device("cuda", 0)) == "CUDA kernels off: there is no CUDA GPU"


def test_no_driver_means_no_cuda_version():
    """cuInit without libcuda raises DynamicLibNotFoundError in cuda-python: no GPU."""
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert driver_cuda_version() is None


def test_unverified_kernels_wait_for_their_gpu_test(monkeypatch):
    """A kernel whose GPU test has not passed on real hardware runs only when asked
    (TESSERA_KERNELS=1); on a usable GPU the reference runs and one line says why."""
    import logging

    from engine.kernels import ops as O

    monkeypatch.setattr(O, "gpu_reason", lambda: None)  # as on a GPU machine
    monkeypatch.setattr(O, "_said", set())
    cuda_like = type("T", (), {"device": torch.device("cuda")})()
    unverified = [n for n, k in KERNELS.items() if not k.verified_on]
    if not unverified:
        pytest.skip("every kernel is verified")
    name = unverified[0]
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    O.log.addHandler(handler)
    O.log.setLevel(logging.INFO)
    try:
        monkeypatch.delenv("TESSERA_KERNELS", raising=False)
        assert not O.use_kernel(cuda_like, name) and not O.use_kernel(cuda_like, name)
        assert len(records) == 1 and "has not passed on real hardware" in records[0].getMessage()
        monkeypatch.setenv("TESSERA_KERNELS", "1")
        assert O.use_kernel(cuda_like, name)
    finally:
        O.log.removeHandler(handler)


def test_launch_arguments_pack_as_typed_scalars():
    t = torch.zeros(4)
    args = kernel_args(t, None, 7, 0.5, True, np.int64(-100))
    assert [type(a) for a in args] == [np.intp, np.intp, np.int32, np.float32, np.int32, np.int64]
    assert int(args[0]) == t.data_ptr() and int(args[1]) == 0
    with pytest.raises(TypeError):
        kernel_args(torch.zeros(4, 4).t())  # not contiguous
    with pytest.raises(TypeError):
        kernel_args("text")
    try:  # cuda.core's own packing accepts them (its private module; skipped if it moves)
        from cuda.core._kernel_arg_handler import ParamHolder
    except ImportError:
        return
    assert ParamHolder(args).ptr


# ---------------------------------------------------------------- references vs formulas

def _bio_scores(gen, B, T, tags):
    from engine.ner.decode import transition_masks

    start, trans = transition_masks(tags)
    emit = torch.log_softmax(torch.randn(B, T, len(tags), generator=gen) * 3, dim=-1)
    return emit, torch.tensor(start, dtype=torch.float32), torch.tensor(trans, dtype=torch.float32)


def test_viterbi_reference_matches_the_decoder():
    from engine.ner.decode import viterbi

    tags = ["O", "B-person", "I-person", "B-location", "I-location", "B-group", "I-group"]
    gen = torch.Generator().manual_seed(0)
    emit, start, trans = _bio_scores(gen, 9, 23, tags)
    lengths = torch.tensor([23, 1, 0, 5, 17, 22, 2, 23, 11])
    out = R.bio_viterbi(emit, start, trans, lengths)
    assert out.dtype == torch.int32 and out.shape == (9, 23)
    for b in range(9):
        n = int(lengths[b])
        assert out[b, :n].tolist() == viterbi(emit[b, :n].double().numpy(), start.double().numpy(),
                                              trans.double().numpy())
        assert (out[b, n:] == -1).all()
    assert torch.equal(ops.bio_viterbi(emit, start, trans, lengths), out)  # CPU: the reference


class _Settings:
    def __init__(self, temperature=1.0, top_k=0, top_p=1.0, repetition_penalty=1.0):
        self.temperature, self.top_k, self.top_p = temperature, top_k, top_p
        self.repetition_penalty = repetition_penalty


@pytest.mark.parametrize("temperature, top_k, top_p, penalty", [
    (1.0, 0, 1.0, 1.0), (0.7, 10, 1.0, 1.0), (1.0, 0, 0.8, 1.0), (0.8, 20, 0.9, 1.3)])
def test_sampling_reference_draws_like_pick_token(temperature, top_k, top_p, penalty):
    """The kept distribution is the one pick_token draws from: 20,000 draws of each
    land within a small total-variation distance of it."""
    from engine.chat.sampling import pick_token

    gen = torch.Generator().manual_seed(1)
    V = 40
    logits = torch.randn(V, generator=gen) * 2
    seen = torch.tensor([3, 7, 7, 12])
    probs = R.kept_distribution(logits[None], seen[None], temperature, top_k, top_p, penalty)[0]
    assert abs(float(probs.sum()) - 1) < 1e-9
    s = _Settings(temperature, top_k, top_p, penalty)
    n = 20000
    ours = torch.bincount(R.sample_token(logits[None].expand(n, V), seen[None].expand(n, 4),
                                         torch.rand(n, generator=gen), temperature, top_k, top_p, penalty).long(),
                          minlength=V).double() / n
    theirs = torch.bincount(torch.tensor([pick_token(logits, s, seen, gen) for _ in range(n)]),
                            minlength=V).double() / n
    assert float((ours - probs).abs().sum()) / 2 < 0.03
    assert float((theirs - probs).abs().sum()) / 2 < 0.03
    assert ((theirs > 0) <= (probs > 0)).all()  # pick_token never draws a token we drop


def test_sampling_reference_rules():
    logits = torch.tensor([[1.0, 3.0, 3.0, 2.0, -1.0, 0.5]])
    greedy = R.kept_distribution(logits, None, 0.0, 0, 1.0, 1.0)[0]
    assert greedy.tolist() == [0, 1, 0, 0, 0, 0]  # the first of the tied best
    top2 = R.kept_distribution(logits, None, 1.0, 2, 1.0, 1.0)[0]
    assert (top2 > 0).tolist() == [False, True, True, False, False, False]
    top3 = R.kept_distribution(logits, None, 1.0, 3, 1.0, 1.0)[0]
    assert (top3 > 0).tolist() == [False, True, True, True, False, False]
    top1 = R.kept_distribution(logits, None, 1.0, 1, 1.0, 1.0)[0]  # ties with the k-th stay
    assert (top1 > 0).tolist() == [False, True, True, False, False, False]
    # top-p: a token stays while the mass above it is below p
    p = torch.softmax(logits[0].double(), 0)
    nucleus = R.kept_distribution(logits, None, 1.0, 0, float(2 * p[1]) - 1e-6, 1.0)[0]
    assert (nucleus > 0).tolist() == [False, True, True, False, False, False]
    penalised = R.kept_distribution(logits, torch.tensor([[1, 4, -1]]), 1.0, 0, 1.0, 2.0)[0]
    expect = torch.softmax(torch.tensor([1.0, 1.5, 3.0, 2.0, -2.0, 0.5]).double(), 0)
    assert torch.allclose(penalised, expect)
    # the draw walks the kept mass in index order
    u = torch.tensor([0.0, 0.4999, 0.5001, 0.999999])
    drawn = R.sample_token(logits.expand(4, 6), None, u, 1.0, 2, 1.0, 1.0)
    assert drawn.tolist() == [1, 1, 2, 2]


def test_int8_reference_is_close_to_the_float_product():
    gen = torch.Generator().manual_seed(2)
    w = torch.randn(300, 576, generator=gen) * 0.05
    w[7] = 0  # an all-zero row keeps scale 1
    x = torch.randn(576, generator=gen)
    q, scale = R.quantize_int8(w)
    assert q.dtype == torch.int8 and scale.shape == (300,) and float(scale[7]) == 1.0
    assert (q.abs() <= 127).all()
    err = (q.float() * scale[:, None] - w).abs().amax(dim=1)
    assert (err <= scale / 2 + 1e-7).all()  # rounding: at most half a step per weight
    y = R.int8_matvec(q, scale, x)
    ref = w @ x
    bound = (scale / 2) * x.abs().sum()
    assert ((y - ref).abs() <= bound + 1e-5).all()
    res = torch.randn(300, generator=gen)
    assert torch.allclose(R.int8_matvec(q, scale, x, res), y + res, atol=1e-5)
    assert torch.equal(ops.int8_matvec(q, scale, x), y)  # CPU: the reference
    if hasattr(torch.ops.aten, "_weight_int8pack_mm"):  # torch's CPU int8 weight-only op agrees
        aten = torch.ops.aten._weight_int8pack_mm(x[None].contiguous(), q, scale)[0]
        assert torch.allclose(aten, y, atol=1e-3, rtol=1e-4)


def test_cross_entropy_rows_reference_matches_torch():
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(7, 50, generator=gen, requires_grad=True)
    t = torch.tensor([1, -100, 49, 0, 3, -100, 17])
    loss, grad = R.cross_entropy_rows(x.detach(), t, 0.2)
    ref = F.cross_entropy(x, t, reduction="none")
    assert torch.allclose(loss, ref.detach(), atol=1e-6)
    (ref.sum() * 0.2).backward()
    assert torch.allclose(grad, x.grad, atol=1e-7)
    assert (grad[1] == 0).all() and (grad[5] == 0).all()


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_linear_cross_entropy_matches_torch_at_the_chat_vocabulary(reduction):
    """SmolLM2's shapes: hidden 576, vocab 49,152, with ignored positions; chunks of 64."""
    gen = torch.Generator().manual_seed(4)
    h = (torch.randn(150, 576, generator=gen) * 0.5).requires_grad_()
    w = (torch.randn(49152, 576, generator=gen) * 0.02).requires_grad_()
    t = torch.randint(0, 49152, (150,), generator=gen)
    t[::7] = -100
    ours = ops.linear_cross_entropy(h, w, t, reduction=reduction, chunk=64)
    gh, gw = torch.autograd.grad(ours * 1.5, (h, w))
    ref = F.cross_entropy(h @ w.t(), t, reduction=reduction)
    rh, rw = torch.autograd.grad(ref * 1.5, (h, w))
    assert torch.allclose(ours, ref, rtol=1e-5)
    assert torch.allclose(gh, rh, atol=1e-6, rtol=1e-4)
    assert torch.allclose(gw, rw, atol=1e-7, rtol=1e-4)


def test_linear_cross_entropy_gradcheck():
    gen = torch.Generator().manual_seed(5)
    h = torch.randn(13, 6, dtype=torch.float64, generator=gen, requires_grad=True)
    w = torch.randn(11, 6, dtype=torch.float64, generator=gen, requires_grad=True)
    t = torch.tensor([0, 3, -100, 10, 2, 2, -100, 5, 1, 9, 4, 7, 6])
    assert torch.autograd.gradcheck(lambda a, b: ops.linear_cross_entropy(a, b, t, chunk=4), (h, w))
    with pytest.raises(ValueError):
        ops.linear_cross_entropy(h, w, t, reduction="none")


def test_sources_are_found_in_the_checkout():
    assert source_dirs()[0] == ROOT / "cuda"


def test_kernels_command_compiles_and_lists_each(capsys):
    import main

    assert main.main(["kernels", "--arch", "sm_80"]) == 0
    out = capsys.readouterr().out
    for name in KERNELS:
        assert re.search(rf"^{name}\s+sm_80  compiled in [\d.]+ s, [\d.]+ KiB$", out, re.M), name
    assert f"{len(KERNELS)} of {len(KERNELS)} kernels ok" in out
    if not torch.cuda.is_available():
        assert "Compiling only" in out
    assert main.main(["kernels", "--arch", "sm_1"]) == 1  # NVRTC's refusal is listed, not raised
    assert "FAILED" in capsys.readouterr().out


def test_no_kernels_option_turns_the_kernels_off(monkeypatch, tmp_path):
    import main
    from engine.kernels.gpu import OFF_ENV

    monkeypatch.setenv(OFF_ENV, "0")
    assert "turned off" not in (gpu_reason() or "")
    rc = main.main(["predict", str(tmp_path / "no-model"), str(tmp_path / "in.txt"), str(tmp_path / "out.jsonl"),
                    "--no-kernels"])
    assert rc == 1  # no such model: one line, exit 1; the switch was set first
    assert "turned off (--no-kernels" in gpu_reason()


# ---------------------------------------------------------------- launches, checked without a GPU

def _signatures() -> dict[str, list[str]]:
    """``entry -> [C parameter types]`` of every kernel entry, read from the .cu sources
    (the decode kernels' entries, written by a macro, with T as f32 -> float, bf16 -> unsigned short)."""
    out = {}
    for spec in KERNELS.values():
        src = read_source(spec).decode().replace("\\\n", "\n")
        for m in re.finditer(r'extern "C" __global__ void ([\w#]+)\(([^)]*)\)', src):
            name, params = m.group(1), [p.strip() for p in m.group(2).split(",")]
            types = [re.sub(r"\s*__restrict__\s*", " ", p).rsplit(" ", 1)[0].replace("const ", "").strip()
                     for p in params]
            if name.endswith("_##SUFFIX"):
                for suffix, t in (("f32", "float"), ("bf16", "unsigned short")):
                    out[name.replace("##SUFFIX", suffix)] = [x.replace("T", t) if x in ("T", "T*") else x
                                                             for x in types]
            else:
                out[name] = types
    return out


def _check_types(entry: str, args: list, sigs: dict) -> None:
    import numpy as np

    want = sigs[entry]
    assert len(args) == len(want), (entry, len(args), want)
    scalar = {"int": np.int32, "float": np.float32, "long long": np.int64}
    for value, ctype in zip(kernel_args(*args), want):
        if ctype.endswith("*"):
            assert isinstance(value, np.intp), (entry, ctype, value)
        else:
            assert isinstance(value, scalar[ctype]), (entry, ctype, type(value))
    elem = {"float*": 4, "unsigned short*": 2, "int*": 4, "long long*": 8, "signed char*": 1}
    for value, ctype in zip(args, want):  # a tensor handed to a pointer has that element size
        if hasattr(value, "element_size"):
            assert value.element_size() == elem[ctype], (entry, ctype, value.dtype)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_every_op_launches_its_kernel_with_the_c_signature(monkeypatch, dtype):
    """Each op, made to take its kernel path on CPU tensors with ``launch`` recorded:
    the argument list matches the entry's C parameters in number, scalar type and
    element size (a mismatch would read garbage on a GPU)."""
    from engine.kernels import ops

    calls = []
    monkeypatch.setattr(ops, "use_kernel", lambda t, name: True)
    monkeypatch.setattr(ops, "launch", lambda name, entry, grid, block, shmem, *args: calls.append((entry, args)))
    sigs = _signatures()
    g = torch.Generator().manual_seed(0)
    w = torch.randn(40, 24, generator=g).to(dtype)
    x = torch.randn(48, generator=g)
    ops.fused_matvec(1, x[:24], torch.ones(24), 1e-5, w, torch.zeros(40), torch.zeros(40))
    ops.fused_matvec(2, x, None, 0.0, w)
    kc, vc = torch.zeros(2, 16, 8, dtype=dtype), torch.zeros(2, 16, 8, dtype=dtype)
    pos = torch.tensor([3])
    ops.rope_kv_append(torch.randn(10 * 8), torch.ones(16, 8), torch.zeros(16, 8), pos, kc, vc, 6, 2)
    ops.attention_decode(torch.randn(48), kc, vc, pos, 6, 2, 0.3)
    ops.embed_row(torch.randn(5, 24).to(dtype), torch.tensor([2]))
    if dtype == torch.float32:
        start, trans = torch.zeros(5), torch.zeros(5, 5)
        ops.bio_viterbi(torch.randn(2, 7, 5), start, trans, torch.tensor([7, 3]))
        ops.sample_token(torch.randn(2, 100), torch.tensor([[1, 2], [3, -1]]), torch.rand(2), temperature=0.7,
                         top_k=5, top_p=0.9, penalty=1.1)
        q, scale = torch.randint(-127, 128, (16, 8), dtype=torch.int8), torch.rand(16)
        ops.int8_matvec(q, scale, torch.randn(8))
        ops.int8_matvec(q, scale, torch.randn(8).bfloat16())
        ops._rows_step(torch.randn(4, 30), torch.tensor([1, -100, 2, 3]), 0.25, -100)
    assert len(calls) >= 5
    for entry, args in calls:
        _check_types(entry, list(args), sigs)
