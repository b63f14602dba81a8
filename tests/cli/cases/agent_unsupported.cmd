for f in "-e x.scap" -i -v "-k http://api" "--k8s-node n" "--list-plugins" "--cri /run/cri.sock" -pm "--dry-run" "-M 10"; do shrike-agent $f; echo "exit $?"; done
