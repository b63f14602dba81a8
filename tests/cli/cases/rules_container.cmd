shrikec test rules/shrike_rules.yaml --events tests/cli/events/rules_container.jsonl
