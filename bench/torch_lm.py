#!/usr/bin/env python3
"""The transformer-lm recipe in PyTorch, driven from `moxing bench lm` for a same-run comparison.

The same model as Moxing's template (token + learned position embeddings, pre-norm decoder layers with
causal multi-head attention and a GELU MLP, final layer norm, linear to the vocabulary), the same
AdamW step with global-norm clipping at 1.0, no dropout (as the template), random token ids
(speed does not depend on their values). Generation: greedy, batch 1, with a key/value cache and by
re-running the whole window for every new token, as Moxing does.
Commands on stdin, one JSON line per answer on stdout:
  train STEPS              -> {"tokens_per_second": ...}
  generate TOKENS cache|full -> {"tokens_per_second": ...}
  quit
Arguments: VOCABULARY CONTEXT BATCH (width 128, 4 layers, 4 heads: the template's). Run with OpenBLAS
tuned (the bench does).
"""
import json, math, os, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, width, heads, dropout):
        super().__init__()
        self.heads, self.width, self.dropout = heads, width, dropout
        self.qkv = nn.Linear(width, 3 * width)
        self.projection = nn.Linear(width, width)

    def forward(self, x, cache=None):
        b, t, c = x.shape
        d = c // self.heads
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d).permute(2, 0, 3, 1, 4)
        q = q * (1.0 / math.sqrt(d))
        past = 0
        if cache is not None:
            if cache[0] is not None:
                past = cache[0].shape[2]
                k = torch.cat([cache[0], k], 2)
                v = torch.cat([cache[1], v], 2)
            cache[0], cache[1] = k, v
        scores = q @ k.transpose(-2, -1)
        if t > 1:
            mask = torch.full((t, past + t), float("-inf")).triu(past + 1)
            scores = scores + mask
        weights = scores.softmax(-1)
        weights = F.dropout(weights, self.dropout, self.training)
        y = (weights @ v).transpose(1, 2).reshape(b, t, c)
        return self.projection(y)


class Layer(nn.Module):
    def __init__(self, width, heads, dropout):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attention = Attention(width, heads, dropout)
        self.expand, self.contract = nn.Linear(width, 4 * width), nn.Linear(4 * width, width)
        self.dropout = dropout

    def forward(self, x, cache=None):
        x = x + F.dropout(self.attention(self.n1(x), cache), self.dropout, self.training)
        return x + F.dropout(self.contract(F.gelu(self.expand(self.n2(x)))), self.dropout, self.training)


class LM(nn.Module):
    def __init__(self, vocabulary, context, width, layers, heads, dropout=0.0):
        super().__init__()
        self.tokens = nn.Embedding(vocabulary, width)
        self.positions = nn.Parameter(torch.randn(context, width) * 0.02)
        self.layers = nn.ModuleList(Layer(width, heads, dropout) for _ in range(layers))
        self.norm, self.head = nn.LayerNorm(width), nn.Linear(width, vocabulary)
        self.dropout = dropout

    def forward(self, ids, caches=None, offset=0):
        x = self.tokens(ids) + self.positions[offset:offset + ids.shape[1]]
        x = F.dropout(x, self.dropout, self.training)
        for i, layer in enumerate(self.layers):
            x = layer(x, None if caches is None else caches[i])
        return self.head(self.norm(x))


def generate(model, count, cached, context):
    """Greedy decoding with Moxing's window rule: when the window is full, restart from its newest half."""
    ids, start, caches = [1], 0, None
    with torch.no_grad():
        for _ in range(count):
            if len(ids) - start > context:
                start, caches = len(ids) - context // 2, None
            if cached:
                if caches is None:
                    caches, fed = [[None, None] for _ in model.layers], start
                logits = model(torch.tensor([ids[fed:]]), caches, fed - start)
                fed = len(ids)
            else:
                logits = model(torch.tensor([ids[start:]]))
            ids.append(int(logits[0, -1].argmax()))
    return ids


def main():
    vocabulary, context, batch = (int(a) for a in sys.argv[1:4])
    width, layers, heads = 128, 4, 4
    torch.manual_seed(42)
    torch.set_num_threads(os.cpu_count())
    model = LM(vocabulary, context, width, layers, heads)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    data = torch.randint(0, vocabulary, (batch * 50, context + 1))
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "train":
            model.train()
            steps = int(words[1])
            start = time.perf_counter()
            for s in range(steps):
                rows = torch.randint(0, len(data), (batch,))
                xb, yb = data[rows, :-1], data[rows, 1:]
                loss = F.cross_entropy(model(xb).reshape(-1, vocabulary), yb.reshape(-1))
                optimizer.zero_grad(set_to_none=True)  # the default from PyTorch 2.0 on
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                loss.item()
            seconds = time.perf_counter() - start
            print(json.dumps({"tokens_per_second": steps * batch * context / seconds, "seconds": seconds}), flush=True)
        elif words[0] == "generate":
            model.eval()
            count, cached = int(words[1]), words[2] == "cache"
            start = time.perf_counter()
            generate(model, count, cached, context)
            seconds = time.perf_counter() - start
            print(json.dumps({"tokens_per_second": count / seconds, "seconds": seconds}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
