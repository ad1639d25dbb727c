#!/usr/bin/env bash
# Runs the scenarios of bench/README.md, each $RUNS times, and prints the
# median of every figure across the runs, with the load average before each
# run. Every run's full result stays in $OUT/<scenario>-<run>.json. Then the
# tuning sweeps, each drawing bench/charts/<knob>.svg (SWEEPS=0 skips them).
#
#   bench/scenarios.sh [BUILD_DIR]            # default: build
#   RUNS=3 DURATION=10 WARMUP=2 OUT=/tmp/om-bench bench/scenarios.sh
#   ONLY="echo sync-default" SWEEPS=0 bench/scenarios.sh   # a subset
#
# The fixed-rate scenarios offer half of the sync-default / sync-tuned
# median throughput, so those must have run first (into the same $OUT).
set -euo pipefail

BUILD=${1:-build}
BENCH="$BUILD/bin/ordermesh-bench"
RUNS=${RUNS:-1}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
SWEEPS=${SWEEPS:-1}
CHARTS=${CHARTS:-bench/charts}
OUT=${OUT:-$(mktemp -d /tmp/ordermesh-bench-results-XXXXXX)}
ONLY=${ONLY:-}
TUNED=(--window 1024 --set node.credit=512)
mkdir -p "$OUT"

median_of() {  # median_of SCENARIO JSON_PATH...: medians of the given fields over the runs
  python3 - "$OUT" "$@" <<'EOF'
import json, sys, glob, statistics
out, name, *paths = sys.argv[1:]
runs = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/{name}-[0-9]*.json"))]
def get(j, path):
    for k in path.split("."):
        j = j[k]
    return j
for p in paths:
    vals = [get(j, p) for j in runs]
    print(f"  {p:40s} median {statistics.median(vals):>12,.0f}   runs {', '.join(f'{v:,.0f}' for v in vals)}")
print("  load average (1 min) at the start of each run: " + ", ".join(j["machine"]["loadavg_1m_start"] for j in runs))
# Where the CPU went in the median run (by accepted/s): cores busy and CPU µs per accepted order, by program.
mid = sorted(runs, key=lambda j: j["summary"]["accepted_per_s"])[len(runs) // 2]
rate = mid["summary"]["accepted_per_s"]
cpu = {}
for who, cores in mid["summary"]["cpu_cores"].items():
    who = "nodes" if who.startswith("node-") else who
    cpu[who] = cpu.get(who, 0) + cores
if rate > 0:
    total = sum(cpu.values())
    print("  CPU per accepted order (median run): " + ", ".join(f"{w} {c:.2f} cores = {c / rate * 1e6:.1f} µs" for w, c in cpu.items())
          + f"; all {total / rate * 1e6:.1f} µs")
print("  self-check ok: " + ", ".join(str(j["self_check"]["ok"]) for j in runs))
EOF
}

scenario() {  # scenario NAME BENCH_ARGS...
  local name=$1
  shift
  if [[ -n "$ONLY" && " $ONLY " != *" $name "* ]]; then return; fi
  for i in $(seq 1 "$RUNS"); do
    echo "== $name, run $i of $RUNS: uptime: $(uptime)"
    echo "   $BENCH $* --warmup $WARMUP --duration $DURATION"
    "$BENCH" "$@" --warmup "$WARMUP" --duration "$DURATION" --report-interval 0 --json "$OUT/$name-$i.json" |
      grep -E '^  (throughput|accept latency|completion latency|errors|self-check|cpu|send lag)' || true
  done
  echo "== $name: medians of $RUNS runs"
  median_of "$name" summary.accepted_per_s summary.completed_per_s \
    accept_latency_us.p50 accept_latency_us.p90 accept_latency_us.p99 accept_latency_us.p99_9 \
    accept_latency_us.p99_99 accept_latency_us.max \
    completion_latency_us.p50 completion_latency_us.p90 completion_latency_us.p99 completion_latency_us.p99_9 \
    completion_latency_us.p99_99 completion_latency_us.max
}

scenario echo echo --rate max
scenario echo-inproc echo --transport inproc --rate max
# HTTP: the gateway (sync durability, two no-op nodes) and the bare civetweb
# 202 handler, same load tool and connections, back to back.
scenario http-gateway --spawn --target http:// --connections 50 --nodes 2 --rate max
scenario http-bare bare-http --connections 50 --rate max
# ... the gateway with the completions decoupled (the tuned window and credit:
# the 202s are not held back by the nodes), and the same with async
# durability (the 202 without the fsync): what the gateway and the machine
# can do when the commit is not in the way.
scenario http-gateway-tuned --spawn --target http:// --connections 50 --nodes 2 --rate max "${TUNED[@]}"
scenario http-gateway-async --spawn --target http:// --connections 50 --nodes 2 --rate max "${TUNED[@]}" \
  --set broker.durability=async
scenario sync-default --spawn --nodes 2 --rate max
scenario sync-tuned --spawn --nodes 2 --rate max "${TUNED[@]}"
scenario async-default --spawn --nodes 2 --rate max --set broker.durability=async
scenario async-tuned --spawn --nodes 2 --rate max --set broker.durability=async "${TUNED[@]}"

half_of() {  # half_of SCENARIO: half its median completed orders/s, rounded to 1000
  python3 - "$OUT" "$1" <<'EOF2'
import json, glob, statistics, sys
v = [json.load(open(f))["summary"]["completed_per_s"] for f in glob.glob(f"{sys.argv[1]}/{sys.argv[2]}-[0-9]*.json")]
print(int(round(statistics.median(v) / 2, -3)))
EOF2
}

# Latency at a fixed offered load: half of each closed-loop maximum, same settings.
if compgen -G "$OUT/sync-default-[0-9]*.json" > /dev/null; then
  RATE=$(half_of sync-default)
  echo "== fixed rate: half of sync-default's median = $RATE orders/s"
  scenario fixed-half-default --spawn --nodes 2 --rate "$RATE"
fi
if compgen -G "$OUT/sync-tuned-[0-9]*.json" > /dev/null; then
  RATE=$(half_of sync-tuned)
  echo "== fixed rate: half of sync-tuned's median = $RATE orders/s"
  scenario fixed-half-tuned --spawn --nodes 2 --rate "$RATE" --set node.credit=512
fi
if compgen -G "$OUT/http-gateway-[0-9]*.json" > /dev/null; then
  RATE=$(half_of http-gateway)
  echo "== fixed rate: half of http-gateway's median = $RATE orders/s"
  scenario http-fixed-half --spawn --target http:// --connections 50 --nodes 2 --rate "$RATE"
fi
# A slow step: 20 ms payment per order, at three credits. PAYMENT selects
# the step: the real payment step once the nodes have it, else a 20 ms delay.
PAYMENT=${PAYMENT:---set node.pipeline=payment --set node.payment.latency_ms=20}
for credit in 1 16 64; do
  # shellcheck disable=SC2086
  scenario "payment20-credit$credit" --spawn --nodes 2 --rate max --window 512 $PAYMENT --set node.credit=$credit
done
# Node churn: one of three nodes killed (SIGKILL) and restarted every 2 s, at about half the broker's maximum.
CHURN_RATE=${CHURN_RATE:-$( compgen -G "$OUT/sync-default-[0-9]*.json" > /dev/null && half_of sync-default || echo 10000)}
scenario churn --spawn --nodes 3 --rate "$CHURN_RATE" --chaos kill-node:2s
scenario churn-baseline --spawn --nodes 3 --rate "$CHURN_RATE"

sweep() {  # sweep CHART_NAME --vary KEY=VALUES [--latency accept] -- BENCH_ARGS...
  local name=$1
  shift
  echo "== sweep $name: uptime: $(uptime)"
  "$BENCH" sweep --chart "$CHARTS/$name.svg" "$@" --warmup "$WARMUP" --duration "$SWEEP_DURATION" --report-interval 0 |
    sed -n '/^== sweep of/,$p' || true  # a failed run is a result too (gateway-threads below connections)
}
if [[ "$SWEEPS" == 1 ]]; then
  SWEEP_DURATION=${SWEEP_DURATION:-3}
  mkdir -p "$CHARTS"
  sweep credit --vary node.credit=1,4,16,64,256 -- --spawn --nodes 2 --rate max --window 1024
  sweep nodes --vary nodes=1,2,4 -- --spawn --rate max --window 1024 --set node.credit=256
  sweep durability --vary broker.durability=sync,async -- --spawn --nodes 2 --rate max --window 1024 --set node.credit=512
  sweep max-batch --vary broker.max_batch=10,100,500,2000 -- --spawn --nodes 2 --rate max --window 1024 --set node.credit=512
  sweep gateway-threads --vary gateway.num_threads=16,32,64,128 --latency accept -- --spawn --target http:// \
    --connections 50 --nodes 2 --rate max --timeout 2 --drain-timeout 5
  sweep hwm --vary broker.hwm=100,1000,100000 -- --spawn --nodes 2 --rate max --window 2048 --set node.credit=1024
  sweep payment-credit --vary node.credit=1,16,64 -- --spawn --nodes 2 --rate max --window 512 $PAYMENT
fi
echo "results in $OUT"
