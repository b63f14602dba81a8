shrikec test rules/k8s_audit_rules.yaml tests/cli/rules/k8s_audit_opt_in.yaml --events tests/cli/events/rules_k8s_opt_in.jsonl
