shrikec test rules/k8s_audit_rules.yaml --events tests/cli/events/rules_k8s_opt_in.jsonl
