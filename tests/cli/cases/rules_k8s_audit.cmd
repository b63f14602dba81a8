cat rules/tests/events/k8s_audit/*.jsonl | shrikec test rules/k8s_audit_rules.yaml --events -
