bash tests/cli/agent/webhook.sh
