#!/usr/bin/env python3
"""Does a data set's own rater-agreement column pick a better training subset than Sift's methods?

A check outside Sift (PyTorch, numpy), on what a Sift run stored: the frozen-encoder pair embeddings
(SIFT_HOME/s3/sift/cache/embeddings/CKPT/DATASET-LEN.pairs) and the prepared dataset (datasets/DATASET/data.jsonl,
whose "line" field names each sample's first line in the source CSV). It trains a small MLP head on
[u, v, u*v, |u-v|, cos(u, v)] (u the query's vector, v the title's) with early stopping on the validation split, per
seed, on: the full training split, a random half, the half with the lowest disagreement (ties at random), the rows
below a disagreement cut, and everything weighted by 1 / (1 + a * disagreement). Grades are cut where the validation
predictions reproduce the training split's grade shares (Sift's evaluate.grades: calibrated). Prints quadratic
weighted kappa on test and validation, mean (sd) over seeds. A replica of Sift's head, not Sift's numbers.

    python3 tools/agreement_check.py PAIRS DATA.jsonl SOURCE.csv --column relevance_variance [--seeds 3]
"""
import argparse
import csv
import json
import struct

import numpy as np
import torch


def pairs(path):
    b = open(path, 'rb').read()
    d, h, n = struct.unpack('<3i', b[:12])
    vec = np.frombuffer(b, dtype='<f4', count=d * h, offset=12).reshape(d, h)
    idx = np.frombuffer(b, dtype='<i4', count=2 * n, offset=12 + 4 * d * h).reshape(2, n)
    return vec[idx[0]], vec[idx[1]]


def column_by_first_line(path, column):
    out = {}
    with open(path, newline='', encoding='utf-8') as f:
        rd = csv.DictReader(f)
        rd.fieldnames  # reads the header
        prev = rd.line_num
        for r in rd:
            out[prev + 1] = float(r[column])
            prev = rd.line_num
    return out


def qwk(a, b, k):
    o = np.zeros((k, k))
    np.add.at(o, (a, b), 1)
    w = np.array([[(i - j) ** 2 for j in range(k)] for i in range(k)]) / (k - 1) ** 2
    e = np.outer(o.sum(1), o.sum(0)) / o.sum()
    return 1 - (w * o).sum() / (w * e).sum()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('pairs')
    ap.add_argument('data')
    ap.add_argument('source')
    ap.add_argument('--column', required=True)
    ap.add_argument('--seeds', type=int, default=3)
    ap.add_argument('--cut', type=float, default=0.9)
    a = ap.parse_args()
    torch.set_num_threads(2)
    u, v = pairs(a.pairs)
    rows = [json.loads(line) for line in open(a.data, encoding='utf-8')]
    dis = column_by_first_line(a.source, a.column)
    lo = min(r['label'] for r in rows)
    y = np.array([int(r['label'] - lo) for r in rows])
    k = int(y.max()) + 1
    split = np.array([r['split'] for r in rows])
    var = np.array([dis[r['line']] for r in rows])
    tr, va, te = (np.where(split == s)[0] for s in ('train', 'validation', 'test'))
    un = u / np.linalg.norm(u, axis=1, keepdims=True)
    vn = v / np.linalg.norm(v, axis=1, keepdims=True)
    x = torch.tensor(np.hstack([u, v, u * v, np.abs(u - v), (un * vn).sum(1, keepdims=True)]), dtype=torch.float32)
    yt = torch.tensor(y)
    shares = np.bincount(y[tr], minlength=k) / len(tr)

    def kappas(ev):
        cv = np.sort(ev[va])
        cuts = np.array([cv[min(len(cv) - 1, int(round(q * len(cv))))] for q in np.cumsum(shares)[:-1]])
        g = np.searchsorted(cuts, ev, side='right')
        return qwk(y[te], g[te], k), qwk(y[va], g[va], k)

    def train(ids, seed, w):
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        m = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 32), torch.nn.ReLU(), torch.nn.Linear(32, k))
        opt = torch.optim.Adam(m.parameters(), lr=1e-3)
        wt = torch.tensor(w, dtype=torch.float32)
        best, state, bad = float('inf'), None, 0
        for _ in range(20):
            m.train()
            p = rng.permutation(ids)
            for s in range(0, len(p), 64):
                b = p[s:s + 64]
                loss = torch.nn.functional.cross_entropy(m(x[b]), yt[b], reduction='none')
                loss = (loss * wt[b]).sum() / wt[b].sum()
                opt.zero_grad()
                loss.backward()
                opt.step()
            m.eval()
            with torch.no_grad():
                vl = torch.nn.functional.cross_entropy(m(x[va]), yt[va]).item()
            if vl < best:
                best, state, bad = vl, {n: t.clone() for n, t in m.state_dict().items()}, 0
            else:
                bad += 1
                if bad >= 3:
                    break
        m.load_state_dict(state)
        with torch.no_grad():
            return kappas(torch.softmax(m(x), 1).numpy() @ np.arange(k))

    ones = np.ones(len(y))
    res = {}
    for seed in range(1, a.seeds + 1):
        rng = np.random.default_rng(100 + seed)
        half = len(tr) // 2
        order = tr[np.lexsort((rng.random(len(tr)), var[tr]))]
        sets = {'full': (tr, ones), 'random half': (rng.choice(tr, half, replace=False), ones),
                'lowest-disagreement half': (order[:half], ones),
                f'{a.column} < {a.cut}': (tr[var[tr] < a.cut], ones),
                'weighted 1/(1+3d)': (tr, 1 / (1 + 3 * var))}
        for name, (ids, w) in sets.items():
            res.setdefault(name, []).append((len(ids),) + train(ids, seed, w))
    print(f'{"training set":28s} {"size":>6s} {"test kappa":>16s} {"validation kappa":>18s}')
    for name, r in res.items():
        r = np.array(r)
        print(f'{name:28s} {r[:, 0].mean():6.0f} {r[:, 1].mean():9.4f} ({r[:, 1].std():.4f}) '
              f'{r[:, 2].mean():10.4f} ({r[:, 2].std():.4f})')


if __name__ == '__main__':
    main()
