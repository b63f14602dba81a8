shrikec test --json --hostname node-1 tests/cli/rules/good.yaml --events tests/cli/events/syscall.jsonl
