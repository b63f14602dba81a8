# shellcheck shell=bash
# lib.sh - sourced by the agent transcripts here: start_agent ARGS... runs
# shrike-agent on $tmp/rules.yaml without shrike.ko (syscall source off), its
# webserver on a free loopback port, no syslog, output in $tmp/out and
# $tmp/err, ARGS added; it sets agent (the pid) and port once the webserver
# listens, or prints why not and exits 1.
# tmp: made by the transcript that sources this.
# shellcheck disable=SC2154
start_agent() {
	shrike-agent --disable-source syscall -r "$tmp/rules.yaml" \
		-o webserver.listen_address=127.0.0.1 -o webserver.listen_port=0 \
		-o syslog_output.enabled=false "$@" >"$tmp/out" 2>"$tmp/err" &
	# shellcheck disable=SC2034 # for the transcript
	agent=$!
	for _ in $(seq 100); do
		port=$(sed -n 's/.*webserver listening on port \([0-9]*\).*/\1/p' "$tmp/err" 2>/dev/null)
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { echo "agent did not start"; cat "$tmp/err"; exit 1; }
}
