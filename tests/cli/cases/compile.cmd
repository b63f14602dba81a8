shrikec compile tests/cli/rules/good.yaml -o /tmp/shrike-cli-test.tbl && shrike-agent --version >/dev/null && cmp -s /tmp/shrike-cli-test.tbl /tmp/shrike-cli-test.tbl && echo written
