shrikec explain "Glob literal bracket" tests/cli/rules/glob.yaml && shrikec test tests/cli/rules/glob.yaml --events tests/cli/events/glob.jsonl
