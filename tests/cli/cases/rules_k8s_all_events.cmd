shrikec test rules/k8s_audit_rules.yaml tests/cli/rules/k8s_audit_all_events.yaml --events tests/cli/events/rules_k8s_health.jsonl
