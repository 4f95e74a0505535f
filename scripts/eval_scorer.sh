#!/bin/sh
# Measures the learned scorer (docs/scorer.md, "Figures"):
#   sh scripts/eval_scorer.sh [--sizes 0,100,250,500,1000] [--skip-vader]
# - the hand-written posts (Tests/OutcryScoringTests/Fixtures/handwritten.jsonl): sentiment
#   accuracy, negative F1, complaint accuracy and F1, urgency micro-F1, harmless posts with urgency,
#   for the rules alone and the base model;
# - learning curves: k labels drawn from a domain (seeded), the base model adapted with them, scored
#   on the rest of the domain (the same held-out rest for every k): GoEmotions test split, and each
#   VADER set as a new domain (its base model retrained without that set);
# - training time on 2,000 labels (one core) and of the base model;
# - then the same path through the CLI: `outcry scorer train --labels FILE --data-dir DIR` with 500
#   labels of VADER's tweets and `outcry score --data-dir DIR` on the rest (needs python3).
# EVAL_VERBOSE=1 lists the hand-written posts the base model gets wrong.
set -e
cd "$(dirname "$0")/.."
swift build -c release --product outcry-bench-score --product outcry
.build/release/outcry-bench-score eval "$@"
echo
echo "## Through the CLI (500 labels of VADER tweets → the rest)"
python3 - <<'PY'
import json, os, random, subprocess, tempfile
rows = []
with open(os.environ.get("OUTCRY_CORPORA", "/work/shared/corpora") + "/vader-groundtruth/tweets_GroundTruth.txt", encoding="utf-8", errors="replace") as f:
    for line in f:
        p = line.rstrip("\r\n").split("\t")
        if len(p) >= 3:
            m = float(p[1])
            rows.append((p[0], "positive" if m >= 0.5 else "negative" if m <= -0.5 else "neutral", "\t".join(p[2:])))
random.Random(15).shuffle(rows)
train, test = rows[:500], rows[500:]
d = tempfile.mkdtemp()
with open(d + "/labels.jsonl", "w") as f:
    for _, s, t in train:
        f.write(json.dumps({"text": t, "sentiment": s}) + "\n")
out = subprocess.run([".build/release/outcry", "scorer", "train", "--labels", d + "/labels.jsonl", "--data-dir", d + "/data"], capture_output=True, text=True, check=True)
print(out.stdout)
def score(args):
    payload = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, _, t in test)
    res = subprocess.run([".build/release/outcry", "score"] + args, input=payload, capture_output=True, text=True, check=True)
    got = [json.loads(l)["sentiment"]["label"] for l in res.stdout.splitlines()]
    acc = sum(g == s for g, (_, s, _) in zip(got, test)) / len(test)
    tp = sum(g == s == "negative" for g, (_, s, _) in zip(got, test))
    fp = sum(g == "negative" != s for g, (_, s, _) in zip(got, test))
    fn = sum(s == "negative" != g for g, (_, s, _) in zip(got, test))
    return acc, (2 * tp / (2 * tp + fp + fn)) if tp else 0.0
for name, args in [("rules only", ["--rules-only"]), ("base model", []), ("installation model", ["--data-dir", d + "/data"])]:
    acc, f1 = score(args)
    print(f"- {name}: accuracy {acc:.3f}, negative F1 {f1:.3f} (n={len(test)})")
PY
