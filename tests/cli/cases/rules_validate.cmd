shrikec validate rules/shrike_rules.yaml rules/k8s_audit_rules.yaml
