shrikec test --rule-matching all -T mitre_persistence -D Outbound tests/cli/rules/selection.yaml --events tests/cli/events/selection.jsonl
