shrike-agent -c /dev/null -r ../shared/falco/falco_rules.0.31.0.yaml -L | sed -n "1,11p;/^Launch Privileged Container/,/^$/p"
