shrikec explain "Loopback network" tests/cli/rules/net.yaml | sed -n "/^program (/,/^captured/p"; shrikec test tests/cli/rules/net.yaml --events tests/cli/events/net.jsonl
