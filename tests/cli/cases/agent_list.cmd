shrike-agent --list k8s_audit -N | head -4; shrike-agent --list syscall | head -7; shrike-agent --list nosuch
