shrikec test --cases rules/tests/k8s_audit_rules.cases.yaml | tail -n1
