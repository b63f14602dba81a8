#!/bin/sh
# Starts minikube with its kube-apiserver sending audit events to Shrike.
# minikube copies ~/.minikube/files into its node, and kubeadm already mounts
# the node's /etc/ssl/certs into the apiserver's pod: the two files go there.
# Then: helm install shrike helm/shrike -n shrike --create-namespace \
#         -f helm/examples/values-audit.yaml
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dst=${MINIKUBE_HOME:-$HOME/.minikube}/files/etc/ssl/certs
mkdir -p "$dst"
cp "$here/audit-policy.yaml" "$dst/shrike-audit-policy.yaml"
cp "$here/webhook-config.yaml" "$dst/shrike-webhook-config.yaml"
exec minikube start \
	--extra-config=apiserver.audit-policy-file=/etc/ssl/certs/shrike-audit-policy.yaml \
	--extra-config=apiserver.audit-webhook-config-file=/etc/ssl/certs/shrike-webhook-config.yaml \
	--extra-config=apiserver.audit-webhook-batch-max-wait=5s \
	"$@"
