shrikec compile -t network -D Write tests/cli/rules/selection.yaml -o /dev/null
