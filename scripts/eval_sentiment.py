#!/usr/bin/env python3
"""Sentiment accuracy of `outcry score` against VADER's human-rated ground truth.

    swift build --product outcry            # or: swift build -c release --product outcry
    python3 scripts/eval_sentiment.py [--binary .build/debug/outcry] [FILE ...]

FILE defaults to /work/shared/corpora/vader-groundtruth/tweets_GroundTruth.txt (tab-separated
id, mean rating -4..+4, text). Prints Pearson r of compound vs the human mean, and the
three-way label agreement with the sign of the mean (|mean| < 0.5 counted as neutral).
Only the standard library is needed.
"""
import argparse
import json
import math
import subprocess
import sys

DEFAULT = "/work/shared/corpora/vader-groundtruth/tweets_GroundTruth.txt"


def pearson(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/debug/outcry")
    ap.add_argument("files", nargs="*", default=[DEFAULT])
    args = ap.parse_args()
    for path in args.files:
        rows = []
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3:
                    continue
                rows.append((parts[0], float(parts[1]), "\t".join(parts[2:])))
        payload = "".join(json.dumps({"id": i, "text": t, "lang": "en"}) + "\n" for i, _, t in rows)
        out = subprocess.run([args.binary, "score"], input=payload.encode(), capture_output=True, check=True)
        results = [json.loads(l) for l in out.stdout.decode().splitlines()]
        assert len(results) == len(rows), (len(results), len(rows))
        comp = [r["sentiment"]["compound"] for r in results]
        gold = [m for _, m, _ in rows]
        agree = 0
        for r, m in zip(results, gold):
            g = "positive" if m >= 0.5 else "negative" if m <= -0.5 else "neutral"
            agree += r["sentiment"]["label"] == g
        print(f"{path}: n={len(rows)} pearson_r={pearson(comp, gold):.4f} label_agreement={agree / len(rows):.3f}")


if __name__ == "__main__":
    sys.exit(main())
