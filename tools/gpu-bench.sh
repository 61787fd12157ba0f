#!/usr/bin/env bash
# `sift bench model` on a machine with a GPU and a CUDA torch but neither the whole application nor a
# Maven repository (README, "GPU"). Needs the thin bundle in .gpu/ (tools/gpu-bundle.sh: a jlink'd JRE
# unless the machine has a java, and the jars ModelBenchMain runs on). Writes everything it prints to
# $OUT/gpu-bench.log (OUT defaults to a temporary folder).
#
# 1. The machine: GPU, driver, torch, CUDA, java.
# 2. DJL on the GPU, on the libtorch in LIBTORCH (a lib folder), by default the machine's own torch's
#    libraries. DJL 0.36's JNI is built for libtorch 2.7.1 only; Sift refuses another release in one line
#    (dev.sift.model.LibTorchCheck; on 2026-12-04, before that check, DJL on torch 2.11's libraries failed at
#    its first copy from the GPU). Each run is bounded.
# 3. The PyTorch peer alone (src/main/resources/bench/torch_bert.py, the script `bench model` drives) on the
#    GPU: MiniLM-L6 shape, fp32 and bf16 autocast, at the CPU benchmark's batch 32 x 32 tokens and at
#    256 x 128: what DJL would have to match there.
set -u -o pipefail
cd "$(dirname "$0")/.." || exit 3
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu-bench.log") 2>&1
PY=${PYTHON:-python3}
# a rehearsal on a machine without a GPU: PEER_DEVICE=cpu PEER_WARMUP=1 PEER_STEPS=2 PEER_SHAPES=32x32 (the DJL
# step then stops at once)
PEER_DEVICE=${PEER_DEVICE:-cuda}
PEER_STEPS=${PEER_STEPS:-200}
PEER_WARMUP=${PEER_WARMUP:-20}
PEER_SHAPES=${PEER_SHAPES:-32x32 256x128}

echo "== the machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
echo "cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda, "available",
          torch.cuda.is_available())'
TORCH_LIB=${LIBTORCH:-$("$PY" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}
# the CUDA runtime DJL's device count loads (JNA, "cudart"): the torch wheel's or the toolkit's
[ -n "$TORCH_LIB" ] || { echo "no torch in $PY, and no LIBTORCH given"; exit 3; }
SITE=$("$PY" -c 'import os, torch; print(os.path.dirname(os.path.dirname(torch.__file__)))' 2>/dev/null)
CUDART=$(find "$TORCH_LIB" ${SITE:+"$SITE/nvidia"} /usr/local/cuda*/lib64 -name 'libcudart*.so*' 2>/dev/null | head -1)
# LD_LIBRARY_PATH for the JVM alone: the peer's torch must load its own libraries, not $LIBTORCH's
JVM_LIBS="$TORCH_LIB${CUDART:+:$(dirname "$CUDART")}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "libtorch: $TORCH_LIB; CUDA runtime: ${CUDART:-none found}"
if [ -x .gpu/jre/bin/java ]; then JAVA=.gpu/jre/bin/java; else JAVA=$(command -v java); fi
echo "java: $JAVA"
"$JAVA" -version 2>&1 | head -1

# the peer the JVM starts inherits the JVM's environment: it gets the one this script started with
printf '#!/bin/sh\nexport LD_LIBRARY_PATH="%s"\nexec "%s" "$@"\n' "${LD_LIBRARY_PATH:-}" "$(command -v "$PY")" > "$OUT/peer-python"
chmod +x "$OUT/peer-python"

echo "== DJL 0.36 (JNI for libtorch 2.7.1, cu128) on $TORCH_LIB"
bench() {
  LD_LIBRARY_PATH=$JVM_LIBS PYTORCH_LIBRARY_PATH=$TORCH_LIB PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 \
      timeout "$1" "$JAVA" -XX:ErrorFile="$OUT/hs_err.log" -Dai.djl.offline=true \
      ${CUDART:+"-Djna.library.path=$(dirname "$CUDART")"} -cp ".gpu/lib/*" \
      dev.sift.cli.ModelBenchMain --device gpu --python "$OUT/peer-python" "${@:2}" 2>&1 | grep -v '^SLF4J'
  return "${PIPESTATUS[0]}"
}
bench 120 --steps 50 --rounds 5 --warmup 5
rc=$?
echo "exit status: $rc"
if [ "$rc" = 0 ]; then
  bench 90 --steps 50 --rounds 3 --warmup 5 --peer-autocast bf16; echo "exit status: $?"
  bench 120 --batch 256 --seq 128 --steps 20 --rounds 3 --warmup 3; echo "exit status: $?"
fi

echo "== the PyTorch peer alone on $PEER_DEVICE (median step over $PEER_STEPS steps after $PEER_WARMUP unmeasured)"
for shape in $PEER_SHAPES; do
  for cast in "" bf16; do
    set -- ${shape/x/ }
    args=$(printf '{"vocab":30522,"hidden":384,"layers":6,"heads":12,"intermediate":1536,"maxpos":512,'`
        `'"batch":%s,"seq":%s,"threads":0,"device":"%s","autocast":"%s","profile":""}' "$1" "$2" "$PEER_DEVICE" "$cast")
    printf 'train %s\ninfer %s\ntrain %s\ninfer %s\ndone\n' "$PEER_WARMUP" "$PEER_WARMUP" "$PEER_STEPS" "$PEER_STEPS" \
      | timeout 150 "$PY" src/main/resources/bench/torch_bert.py "$args" \
      | "$PY" -c '
import json, statistics, sys
batch, seq, cast = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] or "fp32"
lines = [json.loads(l) for l in sys.stdin if l.startswith("{")]
train, infer = lines[3]["steps"], lines[4]["steps"]
mt, mi = statistics.median(train), statistics.median(infer)
gpu = lines[0]["gpu"] or "no GPU"
print(f"batch {batch} x {seq} tokens, {cast}: training {1e3 * mt:.2f} ms/step = {batch / mt:.0f} samples/s; "
      f"inference {1e3 * mi:.2f} ms/batch = {batch / mi:.0f} samples/s ({gpu})")' "$1" "$2" "$cast"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
