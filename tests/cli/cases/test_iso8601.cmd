shrikec test --time-format-iso-8601 tests/cli/rules/good.yaml --events tests/cli/events/syscall.jsonl
