shrikec test tests/cli/rules/container_info.yaml --events tests/cli/events/container_info.jsonl
