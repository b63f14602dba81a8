shrikec test tests/cli/rules/all_events.yaml --events tests/cli/events/all_events.jsonl; echo "--- -A"; shrikec test -A tests/cli/rules/all_events.yaml --events tests/cli/events/all_events.jsonl
