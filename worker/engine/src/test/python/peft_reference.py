#!/usr/bin/env python3
"""An implementation of a PEFT LoRA adapter's meaning that is not LARGO's: loads a Hugging Face ViT image
classifier (config.json + model.safetensors) in PyTorch, applies an adapter zip by PEFT's documented rules, and
compares the logits with those of the merged model (and, optionally, with logits computed elsewhere).

PEFT's rules applied here (peft.tuners.lora): for every module whose name equals or ends with "." + an entry of
target_modules, W' = W + scaling * lora_B @ lora_A, scaling = lora_alpha / r (lora_alpha / sqrt(r) with
use_rslora; rank_pattern / alpha_pattern override r / alpha for the modules they name); fan_in_fan_out false;
modules_to_save are replaced whole by the adapter's copies. Keys in adapter_model.safetensors are
"base_model.model.<module>.lora_A.weight" / ".lora_B.weight" and "base_model.model.<module>.<tensor>" for
modules_to_save. A key that matches nothing, or a module with lora_A but no lora_B, fails (a loader that only
warns silently does nothing).

Only Debian's python3-torch (and the standard library) is needed: safetensors files are read by hand.

usage: peft_reference.py --base DIR --adapter ZIP --merged DIR --pixels FILE --shape N,C,H,W
                         [--expected FILE] [--tolerance 1e-4]
FILE: raw little-endian float32. Exit status 0 when every comparison is within tolerance.
"""
import argparse
import io
import json
import math
import re
import struct
import sys
import zipfile

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8}


def read_safetensors(data):
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=DTYPES[info["dtype"]])
        tensors[name] = flat.reshape(info["shape"]).to(torch.float32)
    return tensors


def vit_logits(config, weights, pixels):
    """ViTForImageClassification's forward (eval mode), from the Hugging Face definition."""
    if config.get("hidden_act", "gelu") != "gelu":
        raise SystemExit("only hidden_act gelu is implemented here")
    d = config["hidden_size"]
    heads = config["num_attention_heads"]
    eps = config.get("layer_norm_eps", 1e-12)
    p = config["patch_size"]
    w = weights
    x = F.conv2d(pixels, w["vit.embeddings.patch_embeddings.projection.weight"],
                 w["vit.embeddings.patch_embeddings.projection.bias"], stride=p)
    n = x.shape[0]
    x = x.flatten(2).transpose(1, 2)
    x = torch.cat([w["vit.embeddings.cls_token"].expand(n, -1, -1), x], dim=1)
    x = x + w["vit.embeddings.position_embeddings"]
    for i in range(config["num_hidden_layers"]):
        pre = "vit.encoder.layer.%d." % i
        lin = lambda t, name: F.linear(t, w[pre + name + ".weight"], w.get(pre + name + ".bias"))
        h = F.layer_norm(x, (d,), w[pre + "layernorm_before.weight"], w[pre + "layernorm_before.bias"], eps)
        t = h.shape[1]
        dh = d // heads
        q = lin(h, "attention.attention.query").view(n, t, heads, dh).transpose(1, 2)
        k = lin(h, "attention.attention.key").view(n, t, heads, dh).transpose(1, 2)
        v = lin(h, "attention.attention.value").view(n, t, heads, dh).transpose(1, 2)
        attn = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh), dim=-1)
        context = (attn @ v).transpose(1, 2).reshape(n, t, d)
        x = x + lin(context, "attention.output.dense")
        h = F.layer_norm(x, (d,), w[pre + "layernorm_after.weight"], w[pre + "layernorm_after.bias"], eps)
        x = x + lin(F.gelu(lin(h, "intermediate.dense")), "output.dense")
    cls = F.layer_norm(x[:, 0], (d,), w["vit.layernorm.weight"], w["vit.layernorm.bias"], eps)
    return F.linear(cls, w["classifier.weight"], w["classifier.bias"])


def pattern_value(patterns, module, default):
    """PEFT's rank_pattern / alpha_pattern: the first key matching the end of the module name wins."""
    for key, value in patterns.items():
        if re.match(r"(.*\.)?%s$" % key, module):
            return value
    return default


def apply_adapter(weights, adapter_zip, lora=True):
    """The base weights with the adapter applied by PEFT's rules (a new dict); lora=False: modules_to_save only."""
    with zipfile.ZipFile(adapter_zip) as archive:
        config = json.loads(archive.read("adapter_config.json"))
        tensors = read_safetensors(archive.read("adapter_model.safetensors"))
    if config.get("peft_type") != "LORA" or config.get("fan_in_fan_out") or config.get("use_dora"):
        raise SystemExit("not a plain LoRA adapter: %s" % config)
    targets = config["target_modules"]
    saved = config.get("modules_to_save") or []
    prefix = "base_model.model."
    out = dict(weights)
    pairs = {}
    for key, value in tensors.items():
        if not key.startswith(prefix):
            raise SystemExit("key %s lacks the %s prefix" % (key, prefix))
        name = key[len(prefix):]
        match = re.fullmatch(r"(.*)\.lora_([AB])\.weight", name)
        if match:
            module = match.group(1)
            if not any(module == t or module.endswith("." + t) for t in targets):
                raise SystemExit("LoRA weights for %s, which no target_modules entry selects" % module)
            pairs.setdefault(module, {})[match.group(2)] = value
        else:
            module, _, tensor = name.rpartition(".")
            if not any(module == m or module.endswith("." + m) for m in saved):
                raise SystemExit("key %s is neither LoRA nor in modules_to_save" % key)
            if name not in weights:
                raise SystemExit("modules_to_save key %s has no base tensor" % key)
            out[name] = value
    for module, pair in (pairs.items() if lora else ()):
        if set(pair) != {"A", "B"}:
            raise SystemExit("module %s has lora_%s only" % (module, "".join(pair)))
        r = pattern_value(config.get("rank_pattern") or {}, module, config["r"])
        alpha = pattern_value(config.get("alpha_pattern") or {}, module, config["lora_alpha"])
        scaling = alpha / math.sqrt(r) if config.get("use_rslora") else alpha / r
        a, b = pair["A"], pair["B"]
        if a.shape[0] != r or b.shape[1] != r:
            raise SystemExit("module %s: A %s, B %s do not have rank %d" % (module, tuple(a.shape), tuple(b.shape), r))
        out[module + ".weight"] = weights[module + ".weight"] + scaling * (b.double() @ a.double()).float()
    return out, config


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--adapter", required=True)
    parser.add_argument("--merged", required=True)
    parser.add_argument("--pixels", required=True)
    parser.add_argument("--shape", required=True)
    parser.add_argument("--expected")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()

    shape = [int(s) for s in args.shape.split(",")]
    with open(args.pixels, "rb") as f:
        pixels = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(shape)
    with open(args.base + "/config.json") as f:
        base_config = json.load(f)
    with open(args.base + "/model.safetensors", "rb") as f:
        base = read_safetensors(f.read())
    with open(args.merged + "/config.json") as f:
        merged_config = json.load(f)
    with open(args.merged + "/model.safetensors", "rb") as f:
        merged = read_safetensors(f.read())

    adapted, adapter_config = apply_adapter(base, args.adapter)
    head_only, _ = apply_adapter(base, args.adapter, lora=False)
    with torch.no_grad():
        by_peft = vit_logits(base_config, adapted, pixels)
        by_merged = vit_logits(merged_config, merged, pixels)
        # the same head without the LoRA update: how much the LoRA part changes the logits
        untouched = vit_logits(base_config, head_only, pixels)
    results = {"peft_vs_merged": (by_peft - by_merged).abs().max().item(),
               "adapter_effect": (by_peft - untouched).abs().max().item()}
    if args.expected:
        with open(args.expected, "rb") as f:
            expected = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(by_peft.shape)
        results["peft_vs_expected"] = (by_peft - expected).abs().max().item()
    print(json.dumps({"torch": torch.__version__, "r": adapter_config["r"], "lora_alpha": adapter_config["lora_alpha"],
                      "max_abs_differences": results}))
    failed = [k for k, v in results.items() if k != "adapter_effect" and not v <= args.tolerance]
    if failed:
        print("outside tolerance %g: %s" % (args.tolerance, ", ".join(failed)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
