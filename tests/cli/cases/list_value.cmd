shrikec test tests/cli/rules/list_value.yaml --events tests/cli/events/list_value.jsonl; shrikec validate tests/cli/rules/list_value_bad.yaml
