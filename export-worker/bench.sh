#!/usr/bin/env bash
# Benchmarks of the export worker (not part of ./mvnw verify; see docs/worker.md):
#   export-worker/bench.sh merge              JMH: merge+format vs raw concatenation (events/s, MB/s, ratio)
#   export-worker/bench.sh large [GB] [streams] [text|jsonl] [invocationSeconds] [none|gzip]
#                                             a synthetic >= 1 GB export under -Xmx256m, with peak memory and CPU
#   export-worker/bench.sh demo [seed] [trainingJob] [repeats]
#                                             the ./dev up demo job, plain vs gzip: size and CPU per export
#   export-worker/bench.sh readahead [scale] [repeats] [all|concurrent]
#                                             the worker on moto behind a latency + quota + replay proxy:
#                                             sequential reader vs read-ahead, 20 concurrent exports of one
#                                             account, two accounts at once, a busy and a quiet account
#                                             (starts its own moto from .venv); concurrent: those runs only
#   export-worker/bench.sh peers [repeats] [scale]
#                                             the whole pipeline (request to downloaded file, through the local
#                                             stack) vs a boto3 script and `aws logs filter-log-events`, side by
#                                             side behind the same latency + quota proxy (PeersBench)
set -euo pipefail
cd "$(dirname "$0")/.."
# peers runs the whole local stack: its class path is local-stack's (the worker, the API and the gateway).
MODULE=export-worker
[ "${1:-}" = peers ] && MODULE=local-stack
if ! out="$(./mvnw -B -q -pl "$MODULE" -am test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test 2>&1)"; then
  echo "$out" >&2
  exit 1
fi
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE"/target/test.classpath)"
case "${1:-merge}" in
  merge) exec java -cp "$CP" com.mlplatform.logexport.worker.bench.BenchMain ;;
  large) shift; exec java -Xmx256m -cp "$CP" com.mlplatform.logexport.worker.bench.LargeExportRun "$@" ;;
  demo) shift; exec java -cp "$CP" com.mlplatform.logexport.worker.bench.DemoJobRun "$@" ;;
  readahead) shift; export PATH="$PWD/.venv/bin:$PATH"
    exec java -Xmx2g -XX:MaxDirectMemorySize=1g -Djdk.nio.maxCachedBufferSize=262144 -Dsun.net.httpserver.nodelay=true -cp "$CP" com.mlplatform.logexport.worker.bench.ReadAheadBench "$@" ;;
  peers) shift; export PATH="$PWD/.venv/bin:$PATH"
    exec java -Xmx2g -XX:MaxDirectMemorySize=1g -Dsun.net.httpserver.nodelay=true -cp "$CP" com.mlplatform.logexport.local.bench.PeersBench "$@" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
