#!/usr/bin/env python3
"""PyTorch eager reference of the engine's training step, for the side-by-side benchmark (BENCHMARKS.md).

What a user would write with plain PyTorch + PEFT-style LoRA: the engine's ViT (Hugging Face
ViTForImageClassification semantics: conv patch embedding, CLS token, position embeddings, pre-norm blocks,
exact GELU, final layernorm, classifier on CLS), the same methods and the same step: uint8 batch to
normalised floats, forward, cross-entropy, backward, global-norm clipping (1.0), AdamW with the
warm-up + cosine schedule, zero_grad. Timed per step after warm-up (wall and process CPU time); prints one
JSON object.

Run with Debian's python3-torch and OpenBLAS, with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset
(`largo compare` does that for this process only):
    torch_reference.py --config vit.json --method lora --batch 64 --steps 20 --warmup 5 --threads 1
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.dense = nn.Linear(d, d)

    def forward(self, x):
        n, t, d = x.shape
        dh = d // self.heads

        def split(y):
            return y.view(n, t, self.heads, dh).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh)  # as Hugging Face's ViTSelfAttention (eager)
        context = scores.softmax(-1) @ v
        return self.dense(context.transpose(1, 2).reshape(n, t, d))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, eps = c["hidden_size"], c.get("layer_norm_eps", 1e-12)
        self.layernorm_before = nn.LayerNorm(d, eps=eps)
        self.attention = Attention(d, c["num_attention_heads"])
        self.layernorm_after = nn.LayerNorm(d, eps=eps)
        self.intermediate = nn.Linear(d, c["intermediate_size"])
        self.output = nn.Linear(c["intermediate_size"], d)

    def forward(self, x):
        x = x + self.attention(self.layernorm_before(x))
        return x + self.output(F.gelu(self.intermediate(self.layernorm_after(x))))


class Vit(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, p = c["hidden_size"], c["patch_size"]
        patches = (c["image_size"] // p) ** 2
        self.patch = nn.Conv2d(c["num_channels"], d, p, stride=p)
        self.cls = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.position = nn.Parameter(torch.randn(1, patches + 1, d) * 0.02)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c["num_hidden_layers"]))
        self.layernorm = nn.LayerNorm(d, eps=c.get("layer_norm_eps", 1e-12))
        self.classifier = nn.Linear(d, len(c["id2label"]))

    def forward(self, pixels):
        x = self.patch(pixels).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.position
        for block in self.blocks:
            x = block(x)
        return self.classifier(self.layernorm(x[:, 0]))


class LoraLinear(nn.Module):
    """PEFT's LoRA forward: base(x) + lora_B(lora_A(x)) * scaling; the base layer frozen."""

    def __init__(self, base, r, alpha, svd):
        super().__init__()
        self.base = base
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        self.scaling = alpha / r
        if svd:  # PiSSA: principal singular directions move into the adapter, the residual stays frozen
            u, s, vh = torch.linalg.svd(base.weight.data, full_matrices=False)
            root = s[:r].sqrt()
            self.lora_A.weight.data = root[:, None] * vh[:r]
            self.lora_B.weight.data = u[:, :r] * root
            self.scaling = 1.0
            base.weight.data -= self.lora_B.weight.data @ self.lora_A.weight.data
        else:
            nn.init.zeros_(self.lora_B.weight)

    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(x)) * self.scaling


class RegulatedProjection:
    """LARGO.md section 2 after each AdamW step, written per tensor as a user would."""

    def __init__(self, tensors, gamma_init=1e-8, mu=1e-2, eps=1e-8):
        self.tensors = tensors
        self.anchor = [p.detach().clone() for p in tensors]
        self.previous = [None] * len(tensors)
        self.gamma = [gamma_init] * len(tensors)
        self.moments = [(0.0, 0.0, 0)] * len(tensors)
        self.mu, self.eps = mu, eps

    @torch.no_grad()
    def hypergradients(self):
        return [None if prev is None else float(((p.grad * prev[0]).sum(1) / prev[1]).sum())
                for p, prev in zip(self.tensors, self.previous)]

    @torch.no_grad()
    def project(self, hypergradients):
        for i, p in enumerate(self.tensors):
            deviation = p - self.anchor[i]
            norms = deviation.abs().sum(1) + self.eps
            h = hypergradients[i]
            if h is not None:
                m, v, t = self.moments[i]
                m, v, t = 0.9 * m + 0.1 * h, 0.999 * v + 0.001 * h * h, t + 1
                step = self.mu * (m / (1 - 0.9 ** t)) / (math.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
                self.moments[i] = (m, v, t)
                self.gamma[i] = min(max(self.gamma[i] - step, self.eps), float(norms.max()))
            p.copy_(self.anchor[i] + (self.gamma[i] / norms).clamp(0, 1)[:, None] * deviation)
            self.previous[i] = (deviation, norms)


def prepare(model, method, r, alpha):
    for param in model.parameters():
        param.requires_grad_(method == "full")
    adapters = []
    if method in ("lora", "pissa", "largo"):
        for block in model.blocks:
            for owner, name in ((block.attention, "query"), (block.attention, "key"), (block.attention, "value"),
                                (block.attention, "dense"), (block, "intermediate"), (block, "output")):
                lora = LoraLinear(getattr(owner, name), r, alpha, svd=method != "lora")
                setattr(owner, name, lora)
                adapters += [lora.lora_A.weight, lora.lora_B.weight]
    for param in model.classifier.parameters():
        param.requires_grad_(True)
    return adapters


def cosine(step, base, warmup, total):
    if step < warmup:
        return base * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup - 1))
    return base * 0.5 * (1 + math.cos(math.pi * progress))


def openblas_loaded():
    with open("/proc/self/maps") as maps:
        return "openblas" in maps.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--method", default="full", choices=["full", "lora", "pissa", "largo", "linear_probe"])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--interop", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.interop)
    torch.manual_seed(1)
    with open(args.config) as f:
        config = json.load(f)

    model = Vit(config)
    adapters = prepare(model, args.method, 8, 16)
    trainable = [p for p in model.parameters() if p.requires_grad]
    base_lr = 1e-4 if args.method == "full" else 1e-3
    optimizer = torch.optim.AdamW(trainable, lr=base_lr, weight_decay=0.0)
    projection = RegulatedProjection(adapters) if args.method == "largo" else None

    total = args.warmup + args.steps
    size, channels = config["image_size"], config["num_channels"]
    images = torch.randint(0, 256, (total * args.batch, channels, size, size), dtype=torch.uint8)
    labels = torch.randint(0, len(config["id2label"]), (total * args.batch,))
    order = torch.randperm(total * args.batch)
    millis, cpu_millis = [], []
    for step in range(total):
        start, start_cpu = time.perf_counter(), time.process_time()
        index = order[step * args.batch:(step + 1) * args.batch]
        pixels = (images[index].float() / 255 - 0.5) / 0.5
        loss = F.cross_entropy(model(pixels), labels[index])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        hypergradients = projection.hypergradients() if projection else None
        for group in optimizer.param_groups:
            group["lr"] = cosine(step, base_lr, math.ceil(0.1 * total), total)
        optimizer.step()
        if projection:
            projection.project(hypergradients)
        optimizer.zero_grad()
        loss.item()
        millis.append((time.perf_counter() - start) * 1000)
        cpu_millis.append((time.process_time() - start_cpu) * 1000)
    measured = millis[args.warmup:]
    print(json.dumps({
        "method": args.method, "torch": torch.__version__, "openblas": openblas_loaded(),
        "intra_op_threads": torch.get_num_threads(), "median_millis": statistics.median(measured),
        "mean_millis": statistics.fmean(measured), "measured_steps": len(measured),
        "mean_cpu_millis": statistics.fmean(cpu_millis[args.warmup:]),
        "trainable_parameters": sum(p.numel() for p in trainable),
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
