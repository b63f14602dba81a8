shrikec test --cases tests/cli/testcases/holds.yaml
