#!/usr/bin/env bash
# Identity matching cost vs store size (issue 6): records of new and of known persons matched
# against a store of EVAL_SCALE_SMALL (10,000) and of EVAL_SCALE_BIG (1,000,000) customers, in µs
# per record, through the real StoreWriter; and the quality of `make eval` (pairwise P/R/F1 on a
# generated population with ground truth). Knobs: see Sources/custsync-eval/main.swift.
set -euo pipefail
mkdir -p "$WORK"
"$BIN/custsync-eval" all --work "$WORK"
