shrikec list --json -t network tests/cli/rules/selection.yaml | grep -o '"name":"[^"]*","source":"[^"]*","priority":"[^"]*","enabled":[a-z]*'
