"""PyTorch peer of Sift's DJL BERT benchmark: the same HuggingFace-style post-LayerNorm BERT (shape given on
the command line), the same batch, sequence length, loss and optimiser. Runs as long as Sift's benchmark does,
timing blocks of steps when asked (main), so that the two sides can take turns."""
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, h, heads, inter, eps):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1 = nn.LayerNorm(h, eps=eps)
        self.i = nn.Linear(h, inter)
        self.out = nn.Linear(inter, h)
        self.ln2 = nn.LayerNorm(h, eps=eps)

    def forward(self, x, bias):
        b, t, h = x.shape
        dh = h // self.heads

        def split(y):
            return y.view(b, t, self.heads, dh).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        s = q @ k.transpose(-1, -2) / math.sqrt(dh) + bias
        ctx = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(x + self.o(ctx))
        return self.ln2(x + self.out(F.gelu(self.i(x))))


class Bert(nn.Module):
    def __init__(self, vocab, h, layers, heads, inter, maxpos, types, eps, classes):
        super().__init__()
        self.word = nn.Embedding(vocab, h)
        self.pos = nn.Embedding(maxpos, h)
        self.token_type = nn.Embedding(types, h)
        self.ln = nn.LayerNorm(h, eps=eps)
        self.layers = nn.ModuleList(Layer(h, heads, inter, eps) for _ in range(layers))
        self.head = nn.Linear(h, classes)

    def forward(self, ids, types, mask):
        b, t = ids.shape
        pos = torch.arange(t, device=ids.device).unsqueeze(0).expand(b, t)
        x = self.ln(self.word(ids) + self.pos(pos) + self.token_type(types))
        bias = ((mask.float() - 1.0) * 1e9).view(b, 1, 1, t)
        for layer in self.layers:
            x = layer(x, bias)
        m = mask.float().unsqueeze(2)
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return self.head(pooled)


def peak_rss():
    # VmHWM: ru_maxrss would include the forking JVM, whose peak survives exec
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def main():
    """Builds the model, says it is ready, then answers one command a line on stdin with one JSON line:
    'train N' and 'infer N' run N steps or forward passes and answer the seconds they took (set-up and this
    protocol not included) and each step's seconds; 'train N profile' and 'infer N profile' also write the
    profiler's top operators of those steps to torch-ops.txt or torch-infer-ops.txt in the folder named at start;
    'done' answers the peak memory and exits.
    On a GPU ("device": "cuda") every timed step ends by waiting for the GPU, as DJL's steps end by reading their
    losses or outputs back; "autocast": "bf16" runs the forward passes under bfloat16 autocast (fp32 weights and
    optimiser)."""
    a = json.loads(sys.argv[1])
    if a.get("threads"):
        torch.set_num_threads(a["threads"])  # the intra-op threads DJL has, so both sides get the same
    device = torch.device(a.get("device") or "cpu")
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    autocast = a.get("autocast") == "bf16"
    torch.manual_seed(1)
    model = Bert(a["vocab"], a["hidden"], a["layers"], a["heads"], a["intermediate"], a["maxpos"], 2, 1e-12, 4)
    model.to(device)
    # on a GPU the fused AdamW, torch's fastest there; on the CPU torch's default, as the CPU benchmark always ran
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01,
                            **({"fused": True} if device.type == "cuda" else {}))
    b, t = a["batch"], a["seq"]
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(1000, 21000, (b, t), generator=g).to(device)
    types = torch.zeros(b, t, dtype=torch.long, device=device)
    mask = torch.ones(b, t, dtype=torch.long, device=device)
    y = torch.randint(0, 4, (b,), generator=g).to(device)

    def forward():
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=autocast):
            return model(ids, types, mask)

    def train(n):
        model.train()
        for _ in range(n):
            start = time.perf_counter()
            opt.zero_grad()
            loss = F.cross_entropy(forward().float(), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sync()
            steps.append(time.perf_counter() - start)

    def infer(n):
        model.eval()
        # no_grad, not inference_mode: DJL's NDArray operations have grad mode only (README, bench model)
        with torch.no_grad():
            for _ in range(n):
                start = time.perf_counter()
                forward()
                sync()
                steps.append(time.perf_counter() - start)

    def answer(**kv):
        print(json.dumps(kv), flush=True)

    steps = []  # the seconds of each step or forward pass of the current command

    answer(ready=True, threads=torch.get_num_threads(), torch=torch.__version__,
           gpu=torch.cuda.get_device_name(device) if device.type == "cuda" else "")
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "done":
            answer(peak_rss_bytes=peak_rss())
            return
        run, n = (train if cmd[0] == "train" else infer), int(cmd[1])
        steps.clear()
        t0 = time.perf_counter()
        if len(cmd) > 2 and cmd[2] == "profile" and a.get("profile"):
            with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
                run(n)
            seconds = time.perf_counter() - t0
            name = "torch-ops.txt" if cmd[0] == "train" else "torch-infer-ops.txt"
            with open(os.path.join(a["profile"], name), "w") as f:
                f.write(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=30))
        else:
            run(n)
            seconds = time.perf_counter() - t0
        answer(seconds=seconds, steps=steps)


if __name__ == "__main__":
    main()
