shrikec test --rule-matching all -t network -t mitre_credential_access tests/cli/rules/selection.yaml --events tests/cli/events/selection.jsonl
