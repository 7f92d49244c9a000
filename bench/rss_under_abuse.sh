#!/usr/bin/env bash
# The serving process's memory under abuse (issue 10): RSS after 1,000 valid predictions, then after
# image decompression bombs and oversized chunked bodies, then after 1,000 more valid predictions.
# The bound is 300 MB between the steady state and the state after the abuse.
#   bench/rss_under_abuse.sh            (trains a 1-epoch cnn-28 in a scratch data directory first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export MOXING_HOME="$(mktemp -d /tmp/moxing-rss.XXXXXX)"
port=18480
work="$MOXING_HOME/work"; mkdir -p "$work"
./moxing train cnn-28 --epochs 1 --limit 2000 >/dev/null
./moxing deploy cnn-28 >/dev/null
./moxing data image fashion-mnist --index 0 -o "$work/shoe.png" >/dev/null
./moxing serve --no-auth --port $port --grpc-port -1 2>"$work/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$port/v2/health/ready" >/dev/null && break; sleep 0.5; done
python3 - "$work" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
sig = b"\x89PNG\r\n\x1a\n"
# 235 bytes: declares 20000x20000 RGBA 16-bit, holds almost nothing
open(sys.argv[1] + "/header-bomb.png", "wb").write(sig + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 16, 6, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
# a valid bomb: 20000x20000 8-bit grey, all zeros, a few hundred KB compressed
z = zlib.compressobj(9); row = b"\0" * 20001; parts = [z.compress(row) for _ in range(20000)] + [z.flush()]
open(sys.argv[1] + "/valid-bomb.png", "wb").write(sig + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0))
    + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))
PY
head -c $((50 * 1024 * 1024)) /dev/zero | tr '\0' '1' > "$work/50mb.json"
predict() { for _ in $(seq 1 "$1"); do curl -s -o /dev/null -F image=@"$work/shoe.png" "localhost:$port/v1/models/cnn-28/predict"; done; }
rss() { echo $(( $(ps -o rss= -p $pid) / 1024 )); }
predict 1000; steady=$(rss)
codes=""
for _ in $(seq 1 10); do
  codes+=" $(curl -s -o /dev/null -w '%{http_code}' -F image=@"$work/header-bomb.png" "localhost:$port/v1/models/cnn-28/predict")"
  codes+=" $(curl -s -o /dev/null -w '%{http_code}' -F image=@"$work/valid-bomb.png" "localhost:$port/v1/models/cnn-28/predict")"
  codes+=" $(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
      --data-binary @"$work/50mb.json" "localhost:$port/v1/models/cnn-28/predict" || echo cut)"
  codes+=" $(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
      --data-binary @"$work/50mb.json" "localhost:$port/v2/models/cnn-28/infer" || echo cut)"
done
abused=$(rss)
start=$(date +%s%N); curl -s -o /dev/null -F image=@"$work/shoe.png" "localhost:$port/v1/models/cnn-28/predict"
after_ms=$(( ($(date +%s%N) - start) / 1000000 ))
predict 1000; settled=$(rss)
echo "answers to the 40 abusive requests (count status):$(echo $codes | tr ' ' '\n' | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
echo "valid-bomb size: $(stat -c %s "$work/valid-bomb.png") bytes; header-bomb: $(stat -c %s "$work/header-bomb.png") bytes"
echo "RSS MB: steady $steady, after abuse $abused, after 1,000 more $settled; difference $((abused - steady)) MB (bound 300)"
echo "a valid predict right after the abuse: ${after_ms} ms"
echo "NNPACK lines in the server log: $(grep -c NNPACK "$work/serve.log" || true)"
