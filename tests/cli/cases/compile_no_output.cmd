shrikec compile tests/cli/rules/good.yaml
