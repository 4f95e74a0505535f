#!/usr/bin/env python3
"""Helpers for scripts/bench_score_jsonl.sh (standard library only, except `vader`).

  bench_score_jsonl.py corpus OUT [REPEAT]   JSON lines {"id","text"} from ../shared/corpora:
                                             VADER's 4,200 rated tweets, REPEAT times (default 28:
                                             117,600 lines), the ids counting up
  bench_score_jsonl.py vader IN              vaderSentiment in-process: reads IN's texts, then
                                             times SentimentIntensityAnalyzer.polarity_scores
                                             over all of them (run with the virtualenv's python)
  bench_score_jsonl.py rate LINES START END  texts/s (START, END: seconds)
  bench_score_jsonl.py ratio A B             A / B, as "12.3x"
"""
import json, os, sys, time


def corpus(out, repeat):
    root = os.environ.get("OUTCRY_CORPORA") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpora")
    path = os.path.join(root, "vader-groundtruth", "tweets_GroundTruth.txt")
    texts = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 2)
            if len(parts) == 3 and parts[2].strip():
                texts.append(parts[2])
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for _ in range(repeat):
            for t in texts:
                n += 1
                f.write(json.dumps({"id": n, "text": t}, ensure_ascii=False) + "\n")
    print(f"{n} lines ({len(texts)} distinct tweets x {repeat}) in {out}", file=sys.stderr)


def vader(path):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    analyzer = SentimentIntensityAnalyzer()
    start, cpu = time.perf_counter(), time.process_time()
    total = 0.0
    for t in texts:
        total += analyzer.polarity_scores(t)["compound"]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{len(texts)} {seconds:.3f} {cpu:.3f} {total:.4f}")


if __name__ == "__main__":
    if sys.argv[1] == "corpus":
        corpus(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 28)
    elif sys.argv[1] == "vader":
        vader(sys.argv[2])
    elif sys.argv[1] == "rate":
        print(int(int(sys.argv[2]) / (float(sys.argv[4]) - float(sys.argv[3]))))
    elif sys.argv[1] == "ratio":
        print(f"{float(sys.argv[2]) / float(sys.argv[3]):.1f}x")
    else:
        sys.exit(__doc__)
