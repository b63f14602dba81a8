shrikec test --cases tests/cases/wrong.yaml
