shrikec test --junit r.xml tests/cli/rules/selection.yaml --events tests/cli/events/selection.jsonl; shrikec test --cases; shrikec test --cases tests/cli/testcases/nonexistent.yaml
