#!/usr/bin/env bash
# Identity matching cost vs store size (issue 6): records of new and of known persons matched
# against a store of EVAL_SCALE_SMALL (10,000) and of EVAL_SCALE_BIG (1,000,000) customers, in µs
# per record, through the real StoreWriter. The quality half of `make eval` (pairwise P/R/F1 on a
# generated population) is not repeated here. Knobs: see Sources/custsync-eval/main.swift.
set -euo pipefail
mkdir -p "$WORK"
"$BIN/custsync-eval" scaling --work "$WORK"
