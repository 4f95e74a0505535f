#!/bin/sh
# Trains Outcry's shipped base scoring model and regenerates the embedded weights:
#   sh scripts/train_base_model.sh
# Reads ../shared/corpora/goemotions (train split; dev tunes the complaint threshold, test only
# measures) and ../shared/corpora/vader-groundtruth (all four sets); OUTCRY_CORPORA overrides the
# corpora folder. Seed 15, single-threaded: the same corpora give the same file, byte for byte.
# Writes Sources/OutcryScoring/Learning/BaseModelData.swift (commit it; see docs/scorer.md).
set -e
cd "$(dirname "$0")/.."
swift build -c release --product outcry-bench-score
.build/release/outcry-bench-score train-base --out Sources/OutcryScoring/Learning/BaseModelData.swift
