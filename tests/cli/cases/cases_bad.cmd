shrikec test --cases tests/cli/testcases/bad.yaml
