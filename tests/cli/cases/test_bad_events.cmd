shrikec test tests/cli/rules/good.yaml --events tests/cli/events/bad.jsonl
