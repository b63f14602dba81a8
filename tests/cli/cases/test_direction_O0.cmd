shrikec test -O0 tests/cli/rules/direction.yaml --events tests/cli/events/direction.jsonl
