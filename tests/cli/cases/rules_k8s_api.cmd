shrikec test rules/shrike_rules.yaml tests/cli/rules/k8s_api_localhost.yaml --events tests/cli/events/rules_k8s_api.jsonl
