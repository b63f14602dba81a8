{{/* Names and labels, as Falco's chart builds them. */}}
{{- define "shrike.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "shrike.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "shrike.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "shrike.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shrike.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "shrike.labels" -}}
helm.sh/chart: {{ include "shrike.chart" . }}
{{ include "shrike.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "shrike.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "shrike.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* registry/repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "shrike.imageRef" -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion | toString -}}
{{- if .image.registry -}}
{{- printf "%s/%s:%s" .image.registry .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "shrike.image" -}}
{{- include "shrike.imageRef" (dict "image" .Values.image "root" .) -}}
{{- end -}}

{{- define "shrike.driverLoader.image" -}}
{{- include "shrike.imageRef" (dict "image" .Values.driver.loader.initContainer.image "root" .) -}}
{{- end -}}

{{/* The driver kind, which is always kmod: Shrike has only the kernel
module. Falco's chart says "kmod" (older charts "module"), and its default
"auto" (pick a driver for the node) can only mean the module here; Falco's
eBPF kinds (ebpf, modern_ebpf, modern-bpf, gvisor) fail the render rather
than install a chart that loads a driver the user did not ask for. */}}
{{- define "shrike.driverKind" -}}
{{- $kind := .Values.driver.kind | default "kmod" -}}
{{- if not (has $kind (list "kmod" "module" "auto")) -}}
{{- fail (printf "driver.kind=%s: Shrike has only the kernel module driver; set driver.kind to kmod (or auto)" $kind) -}}
{{- end -}}
kmod
{{- end -}}

{{/* falcosidekick's Service, as its chart names it (a subchart of this release). */}}
{{- define "shrike.falcosidekickUrl" -}}
{{- $port := .Values.falcosidekick.listenPort | default "2801" | toString -}}
{{- $name := "falcosidekick" -}}
{{- $svc := ternary .Release.Name (printf "%s-%s" .Release.Name $name) (contains $name .Release.Name) | trunc 63 | trimSuffix "-" -}}
{{- if .Values.falcosidekick.fullfqdn -}}
{{- printf "http://%s.%s.svc.cluster.local:%s" $svc .Release.Namespace $port -}}
{{- else -}}
{{- printf "http://%s:%s" $svc $port -}}
{{- end -}}
{{- end -}}

{{/*
shrike.yaml: the `falco` values in Falco's option names, with what
falcosidekick needs forced on as Falco's chart does (JSON alerts over HTTP).
*/}}
{{- define "shrike.config" -}}
{{- $config := deepCopy .Values.falco -}}
{{- $c := .Values.collectors -}}
{{- $on := $c.enabled -}}
{{- $engines := dict
  "proc_root" "/host/proc"
  "docker" (dict "enabled" (and $on $c.docker.enabled) "root" (printf "/host%s" $c.docker.stateDir))
  "containerd" (dict "enabled" (and $on $c.containerd.enabled) "state_dirs" (list (printf "/host%s/io.containerd.runtime.v2.task" $c.containerd.stateDir)))
  "cri-o" (dict "enabled" (and $on $c.crio.enabled) "state_dirs" (include "shrike.hostPaths" $c.crio.stateDirs | fromYaml).paths)
-}}
{{- /* Options set under falco.container_engines win. */ -}}
{{- $_ := set $config "container_engines" (mergeOverwrite $engines (get $config "container_engines" | default dict)) -}}
{{- if .Values.falcosidekick.enabled -}}
{{- $http := get $config "http_output" | default dict -}}
{{- $_ := set $http "enabled" true -}}
{{- if not $http.url -}}
{{- $_ := set $http "url" (include "shrike.falcosidekickUrl" .) -}}
{{- end -}}
{{- $_ := set $config "http_output" $http -}}
{{- $_ := set $config "json_output" true -}}
{{- $_ := set $config "json_include_output_property" true -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/* paths: the list given, each under /host, as YAML {paths: [...]}. */}}
{{- define "shrike.hostPaths" -}}
paths:
{{- range . }}
  - /host{{ . }}
{{- end }}
{{- end -}}

{{- define "shrike.webserverPort" -}}
{{- .Values.falco.webserver.listen_port | default 8765 | int -}}
{{- end -}}

{{/*
The agent's capabilities, each for one reason (helm/README.md, "Agent
capabilities"): NET_ADMIN for the module's generic netlink commands and
SYS_ADMIN for those that load rules and subscribe to alerts,
SYS_PTRACE and DAC_READ_SEARCH to read other users' /proc/<pid> entries (exe,
cwd, fd, environ) when enriching events. AppArmor's runtime profile denies
ptrace reads of processes outside the container, hence unconfined.
*/}}
{{- define "shrike.agentSecurityContext" -}}
{{- if .Values.containerSecurityContext -}}
{{- toYaml .Values.containerSecurityContext -}}
{{- else -}}
runAsUser: 0
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
  add:
    - NET_ADMIN
    - SYS_ADMIN
    - SYS_PTRACE
    - DAC_READ_SEARCH
appArmorProfile:
  type: Unconfined
{{- end -}}
{{- end -}}

{{/* The event generator's pod: ctx is (dict "root" . "kind" "image" "args"). */}}
{{- define "shrike.eventgen.pod" -}}
metadata:
  labels:
    app.kubernetes.io/name: {{ include "shrike.name" .root }}-eventgen
    app.kubernetes.io/instance: {{ .root.Release.Name }}
spec:
  {{- if eq .kind "Job" }}
  restartPolicy: Never
  {{- end }}
  {{- /* It needs no API access. */}}
  automountServiceAccountToken: false
  {{- with .root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: eventgen
      image: {{ include "shrike.imageRef" (dict "image" .image "root" .root) }}
      imagePullPolicy: {{ .image.pullPolicy | default "IfNotPresent" }}
      {{- if eq .kind "Job" }}
      command:
        - shrike-eventgen
      args:
        {{- toYaml .args | nindent 8 }}
      {{- else }}
      {{- /* shrike-eventgen runs its actions once; a Deployment's container must not exit. */}}
      command:
        - /bin/sh
        - -c
        - while :; do shrike-eventgen "$@"; sleep {{ .root.Values.eventGenerator.interval | default 60 | int }}; done
        - shrike-eventgen
      args:
        {{- toYaml .args | nindent 8 }}
      {{- end }}
      {{- with .root.Values.eventGenerator.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* The host directories of the enabled collectors, as YAML {dirs: [...]}. */}}
{{- define "shrike.stateDirs" -}}
{{- $c := .Values.collectors -}}
dirs:
{{- if $c.enabled }}
{{- if $c.containerd.enabled }}
  - {{ $c.containerd.stateDir }}
{{- end }}
{{- if $c.crio.enabled }}
{{- range $c.crio.stateDirs }}
  - {{ . }}
{{- end }}
{{- end }}
{{- if $c.docker.enabled }}
  - {{ $c.docker.stateDir }}
{{- end }}
{{- range $c.extraStateDirs }}
  - {{ . }}
{{- end }}
{{- end }}
{{- end -}}
