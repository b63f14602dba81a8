shrikec test tests/cli/rules/direction.yaml --events tests/cli/events/direction.jsonl
