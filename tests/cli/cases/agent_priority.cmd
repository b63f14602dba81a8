bash tests/cli/agent/priority.sh
