#!/usr/bin/env bash
# run.sh - the chart's tests: builds the offline Helm renderer from Debian's Go
# packages (GOPATH mode, no module download), runs the Go chart tests, and
# writes the default rendering to $BUILD/helm/shrike.yaml for reading.
set -eu
cd "$(dirname "$0")"
top=$(cd ../.. && pwd)
bdir=${BUILD:-build}
case $bdir in /*) ;; *) bdir=$top/$bdir ;; esac
command -v go >/dev/null || { echo "helm-check: go not installed (make deps)" >&2; exit 1; }
[ -d /usr/share/gocode/src/github.com/Masterminds/sprig ] ||
	{ echo "helm-check: sprig not installed (make deps)" >&2; exit 1; }
export GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$bdir/helm/go-cache GOFLAGS='' CGO_ENABLED=0
mkdir -p "$bdir/helm"
go vet .
go build -o "$bdir/helm/helm-render" .
"$bdir/helm/helm-render" -n shrike --namespace shrike "$top/helm/shrike" >"$bdir/helm/shrike.yaml"
# The configs are also checked by the real agent when it is built.
[ -x "$bdir/bin/shrike-agent" ] && export SHRIKE_AGENT=$bdir/bin/shrike-agent
# shrikec evaluates the default k8s_audit rules on the chart's own pods.
[ -x "$bdir/bin/shrikec" ] && export SHRIKEC=$bdir/bin/shrikec
if ! go test -count=1 . >"$bdir/helm/test.log" 2>&1; then
	cat "$bdir/helm/test.log"
	echo "helm-check: FAILED"
	exit 1
fi
echo "  HELM    chart renders and passes $(grep -c '^func Test' chart_test.go) tests ($bdir/helm/shrike.yaml)"
