shrikec validate ../shared/falco/falco_rules.yaml
