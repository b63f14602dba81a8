bash tests/cli/agent/no_rules.sh
