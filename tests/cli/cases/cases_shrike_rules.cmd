shrikec test --cases rules/tests/shrike_rules.cases.yaml | tail -n1
