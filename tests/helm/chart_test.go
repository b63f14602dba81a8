// chart_test.go - renders helm/shrike for the default values and for each
// toggle, parses the output as Kubernetes YAML and checks the objects and
// the fields that matter: mounts, capabilities, ports, probes, the config
// shrike-agent reads, and the values' and README's Falco-compatible names.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	yaml3 "gopkg.in/yaml.v3"
)

const chartDir = "../../helm/shrike"

type obj = map[string]interface{}

type rendered struct {
	objs  []obj
	notes string
}

func values(t *testing.T, y string) map[string]interface{} {
	t.Helper()
	v, err := ReadValues([]byte(y))
	if err != nil {
		t.Fatalf("override values: %v", err)
	}
	return v
}

func renderErr(t *testing.T, overrides ...string) (*rendered, error) {
	t.Helper()
	c, err := LoadChart(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	var over []map[string]interface{}
	for _, o := range overrides {
		over = append(over, values(t, o))
	}
	ms, notes, err := c.Render(Release{Name: "rel", Namespace: "sec", Service: "Helm", Revision: 1, IsInstall: true}, over...)
	if err != nil {
		return nil, err
	}
	r := &rendered{notes: notes}
	for _, d := range Documents(ms) {
		var o obj
		if err := yaml3.Unmarshal([]byte(d.Text), &o); err != nil {
			t.Fatalf("%s does not parse as YAML: %v\n%s", d.Source, err, d.Text)
		}
		checkObject(t, d.Source, o)
		r.objs = append(r.objs, o)
	}
	for _, bad := range []string{"<no value>", "%!", "map[", "<nil>"} {
		for _, d := range ms {
			if strings.Contains(d.Text, bad) {
				t.Errorf("%s contains %q:\n%s", d.Source, bad, d.Text)
			}
		}
		if strings.Contains(notes, bad) {
			t.Errorf("NOTES.txt contains %q:\n%s", bad, notes)
		}
	}
	return r, nil
}

func render(t *testing.T, overrides ...string) *rendered {
	t.Helper()
	r, err := renderErr(t, overrides...)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return r
}

// dig follows a path of map keys and list indexes ("containers", 0, "name").
func dig(v interface{}, path ...interface{}) interface{} {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(obj)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]interface{})
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func (r *rendered) get(kind, name string) obj {
	for _, o := range r.objs {
		if o["kind"] == kind && dig(o, "metadata", "name") == name {
			return o
		}
	}
	return nil
}

func (r *rendered) must(t *testing.T, kind, name string) obj {
	t.Helper()
	o := r.get(kind, name)
	if o == nil {
		t.Fatalf("no %s %s; have %v", kind, name, r.kinds())
	}
	return o
}

func (r *rendered) kinds() []string {
	var k []string
	for _, o := range r.objs {
		k = append(k, fmt.Sprintf("%v/%v", o["kind"], dig(o, "metadata", "name")))
	}
	sort.Strings(k)
	return k
}

func eq(t *testing.T, what string, want, got interface{}) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%s:\n  want %#v\n  got  %#v", what, want, got)
	}
}

func strs(v interface{}) []string {
	var s []string
	for _, e := range asList(v) {
		s = append(s, fmt.Sprint(e))
	}
	return s
}

func asList(v interface{}) []interface{} { l, _ := v.([]interface{}); return l }

func podSpec(t *testing.T, r *rendered) obj {
	t.Helper()
	return dig(r.must(t, "DaemonSet", "rel-shrike"), "spec", "template", "spec").(obj)
}

func container(t *testing.T, spec obj, list, name string) obj {
	t.Helper()
	for _, c := range asList(spec[list]) {
		if dig(c, "name") == name {
			return c.(obj)
		}
	}
	t.Fatalf("no %s %q", list, name)
	return nil
}

// mounts: mountPath -> "volume[,ro][,subPath]".
func mounts(c obj) map[string]string {
	m := map[string]string{}
	for _, vm := range asList(c["volumeMounts"]) {
		s := fmt.Sprint(dig(vm, "name"))
		if dig(vm, "readOnly") == true {
			s += ",ro"
		}
		if sp := dig(vm, "subPath"); sp != nil {
			s += ",subPath=" + fmt.Sprint(sp)
		}
		m[fmt.Sprint(dig(vm, "mountPath"))] = s
	}
	return m
}

// hostPaths: volume name -> host path, for hostPath volumes.
func hostPaths(spec obj) map[string]string {
	m := map[string]string{}
	for _, v := range asList(spec["volumes"]) {
		if p := dig(v, "hostPath", "path"); p != nil {
			m[fmt.Sprint(dig(v, "name"))] = fmt.Sprint(p)
		}
	}
	return m
}

func config(t *testing.T, r *rendered) obj {
	t.Helper()
	s, _ := dig(r.must(t, "ConfigMap", "rel-shrike"), "data", "shrike.yaml").(string)
	var c obj
	if err := yaml3.Unmarshal([]byte(s), &c); err != nil {
		t.Fatalf("shrike.yaml: %v\n%s", err, s)
	}
	return c
}

// ---- generic checks on every rendered object ---------------------------------

var dns1123 = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// Known fields of the Kubernetes objects the chart writes, so that a typo
// or a field at the wrong level fails here instead of in a cluster.
var known = map[string][]string{
	"container":       {"name", "image", "imagePullPolicy", "command", "args", "env", "resources", "securityContext", "ports", "livenessProbe", "readinessProbe", "volumeMounts"},
	"volumeMount":     {"name", "mountPath", "readOnly", "subPath", "mountPropagation"},
	"volume":          {"name", "hostPath", "configMap", "emptyDir", "secret", "projected"},
	"probe":           {"httpGet", "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "failureThreshold", "successThreshold"},
	"securityContext": {"runAsUser", "runAsNonRoot", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities", "privileged", "appArmorProfile", "seccompProfile", "seLinuxOptions"},
	"podSpec": {"serviceAccountName", "hostPID", "hostNetwork", "priorityClassName", "securityContext", "nodeSelector", "affinity",
		"tolerations", "imagePullSecrets", "initContainers", "containers", "volumes", "restartPolicy", "automountServiceAccountToken", "dnsPolicy"},
}

func checkKeys(t *testing.T, where, kind string, v interface{}) {
	t.Helper()
	m, ok := v.(obj)
	if !ok {
		if v != nil {
			t.Errorf("%s: %s is not a map: %#v", where, kind, v)
		}
		return
	}
	for k := range m {
		found := false
		for _, a := range known[kind] {
			found = found || a == k
		}
		if !found {
			t.Errorf("%s: unknown %s field %q", where, kind, k)
		}
	}
}

func checkPodSpec(t *testing.T, where string, spec obj) {
	t.Helper()
	checkKeys(t, where, "podSpec", spec)
	vols := map[string]bool{}
	for _, v := range asList(spec["volumes"]) {
		checkKeys(t, where, "volume", v)
		n := fmt.Sprint(dig(v, "name"))
		if vols[n] {
			t.Errorf("%s: volume %s twice", where, n)
		}
		vols[n] = true
	}
	used := map[string]bool{}
	for _, list := range []string{"initContainers", "containers"} {
		for _, c := range asList(spec[list]) {
			cn := fmt.Sprint(dig(c, "name"))
			checkKeys(t, where+" "+cn, "container", c)
			checkKeys(t, where+" "+cn, "securityContext", dig(c, "securityContext"))
			checkKeys(t, where+" "+cn, "probe", dig(c, "livenessProbe"))
			checkKeys(t, where+" "+cn, "probe", dig(c, "readinessProbe"))
			paths := map[string]bool{}
			for _, vm := range asList(dig(c, "volumeMounts")) {
				checkKeys(t, where+" "+cn, "volumeMount", vm)
				n := fmt.Sprint(dig(vm, "name"))
				p := fmt.Sprint(dig(vm, "mountPath"))
				if !vols[n] {
					t.Errorf("%s %s: mount of undeclared volume %s", where, cn, n)
				}
				if paths[p] {
					t.Errorf("%s %s: %s mounted twice", where, cn, p)
				}
				paths[p] = true
				used[n] = true
			}
		}
	}
	for n := range vols {
		if !used[n] {
			t.Errorf("%s: volume %s is never mounted", where, n)
		}
	}
}

func checkObject(t *testing.T, src string, o obj) {
	t.Helper()
	where := fmt.Sprintf("%s (%v)", src, o["kind"])
	if o["apiVersion"] == nil || o["kind"] == nil {
		t.Errorf("%s: no apiVersion or kind", where)
	}
	name, _ := dig(o, "metadata", "name").(string)
	if !dns1123.MatchString(name) || len(name) > 63 {
		t.Errorf("%s: bad name %q", where, name)
	}
	switch o["kind"] {
	case "DaemonSet", "Deployment", "Job":
		spec, _ := dig(o, "spec", "template", "spec").(obj)
		checkPodSpec(t, where, spec)
		if o["kind"] != "Job" {
			sel, _ := dig(o, "spec", "selector", "matchLabels").(obj)
			labels, _ := dig(o, "spec", "template", "metadata", "labels").(obj)
			for k, v := range sel {
				if labels[k] != v {
					t.Errorf("%s: selector %s=%v does not match the pod's labels", where, k, v)
				}
			}
		}
	}
}

// ---- the default values ---------------------------------------------------------

func TestDefaultObjects(t *testing.T) {
	r := render(t)
	eq(t, "objects", []string{
		"ClusterRole/rel-shrike", "ClusterRoleBinding/rel-shrike", "ConfigMap/rel-shrike", "ConfigMap/rel-shrike-rules",
		"DaemonSet/rel-shrike", "Service/rel-shrike", "ServiceAccount/rel-shrike",
	}, r.kinds())
	for _, o := range r.objs {
		if ns := dig(o, "metadata", "namespace"); ns != nil && ns != "sec" {
			t.Errorf("%v in namespace %v", o["kind"], ns)
		}
	}
}

func TestDefaultDaemonSet(t *testing.T) {
	r := render(t)
	spec := podSpec(t, r)
	eq(t, "hostPID", true, spec["hostPID"])
	eq(t, "hostNetwork", nil, spec["hostNetwork"])
	eq(t, "tolerations", []interface{}{obj{"operator": "Exists"}}, spec["tolerations"])
	eq(t, "serviceAccountName", "rel-shrike", spec["serviceAccountName"])
	eq(t, "priorityClassName", nil, spec["priorityClassName"])

	// The driver loader: SYS_MODULE only, never privileged; the node's headers read-only.
	dl := container(t, spec, "initContainers", "driver-loader")
	eq(t, "loader image", "docker.io/shrike/shrike-driver-loader:0.1.0", dl["image"])
	eq(t, "loader args", []string{"--replace"}, strs(dl["args"]))
	eq(t, "loader env", []interface{}{obj{"name": "HOST_ROOT", "value": "/host"}}, dl["env"])
	eq(t, "loader securityContext", obj{"capabilities": obj{"add": []interface{}{"SYS_MODULE"}}}, dl["securityContext"])
	eq(t, "loader mounts", map[string]string{
		"/host/lib/modules": "lib-modules,ro", "/host/usr": "usr-fs,ro", "/host/etc": "etc-fs,ro",
	}, mounts(dl))

	ag := container(t, spec, "containers", "shrike")
	eq(t, "agent image", "docker.io/shrike/shrike:0.1.0", ag["image"])
	eq(t, "agent command", []string{"shrike-agent"}, strs(ag["command"]))
	eq(t, "agent args", nil, ag["args"])
	eq(t, "agent capabilities dropped", []string{"ALL"}, strs(dig(ag, "securityContext", "capabilities", "drop")))
	eq(t, "agent capabilities added", []string{"NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE", "DAC_READ_SEARCH"}, strs(dig(ag, "securityContext", "capabilities", "add")))
	eq(t, "agent privileged", nil, dig(ag, "securityContext", "privileged"))
	eq(t, "agent allowPrivilegeEscalation", false, dig(ag, "securityContext", "allowPrivilegeEscalation"))
	eq(t, "agent readOnlyRootFilesystem", true, dig(ag, "securityContext", "readOnlyRootFilesystem"))
	eq(t, "agent ports", []interface{}{obj{"name": "http", "containerPort": 8765, "protocol": "TCP"}}, ag["ports"])
	eq(t, "liveness probe", obj{"path": "/healthz", "port": "http", "scheme": "HTTP"}, dig(ag, "livenessProbe", "httpGet"))
	eq(t, "liveness period", 15, dig(ag, "livenessProbe", "periodSeconds"))
	eq(t, "readiness probe", obj{"path": "/healthz", "port": "http", "scheme": "HTTP"}, dig(ag, "readinessProbe", "httpGet"))
	eq(t, "node name env", "spec.nodeName", dig(ag, "env", 0, "valueFrom", "fieldRef", "fieldPath"))
	eq(t, "resources", obj{"requests": obj{"cpu": "100m", "memory": "256Mi"}, "limits": obj{"cpu": "1000m", "memory": "1024Mi"}}, ag["resources"])
	eq(t, "agent mounts", map[string]string{
		"/etc/shrike/shrike.yaml":          "config,ro,subPath=shrike.yaml",
		"/etc/shrike/rules.d":              "rules,ro",
		"/tmp":                             "tmp",
		"/host/proc":                       "proc-fs,ro",
		"/host/etc":                        "etc-fs,ro",
		"/host/sys/module":                 "sys-module,ro",
		"/host/run/containerd":                             "state-0,ro",
		"/host/run/containers/storage/overlay-containers":     "state-1,ro",
		"/host/var/lib/containers/storage/overlay-containers": "state-2,ro",
		"/host/var/lib/docker/containers":                     "state-3,ro",
	}, mounts(ag))
	eq(t, "host paths", map[string]string{
		"proc-fs": "/proc", "etc-fs": "/etc", "sys-module": "/sys/module", "lib-modules": "/lib/modules", "usr-fs": "/usr",
		"state-0": "/run/containerd", "state-1": "/run/containers/storage/overlay-containers",
		"state-2": "/var/lib/containers/storage/overlay-containers", "state-3": "/var/lib/docker/containers",
	}, hostPaths(spec))
	ann := dig(r.must(t, "DaemonSet", "rel-shrike"), "spec", "template", "metadata", "annotations").(obj)
	if len(fmt.Sprint(ann["checksum/config"])) != 64 || len(fmt.Sprint(ann["checksum/rules"])) != 64 {
		t.Errorf("checksum annotations: %v", ann)
	}
}

func TestDefaultConfig(t *testing.T) {
	r := render(t)
	c := config(t, r)
	eq(t, "rules_file", []interface{}{"/etc/shrike/rules", "/etc/shrike/rules.d"}, c["rules_file"])
	eq(t, "json_output", false, c["json_output"])
	eq(t, "time_format_iso_8601", false, c["time_format_iso_8601"])
	eq(t, "priority", "debug", c["priority"])
	eq(t, "rule_matching", "first", c["rule_matching"])
	eq(t, "http_output", obj{"enabled": false, "url": "", "user_agent": "shrike/shrike"}, c["http_output"])
	eq(t, "webserver", obj{"enabled": true, "listen_port": 8765, "k8s_healthz_endpoint": "/healthz",
		"k8s_audit_endpoint": "/k8s-audit", "ssl_enabled": false, "ssl_certificate": "/etc/shrike/certs/shrike.pem"}, c["webserver"])
	eq(t, "container_engines", obj{
		"proc_root":  "/host/proc",
		"docker":     obj{"enabled": true, "root": "/host/var/lib/docker/containers"},
		"containerd": obj{"enabled": true, "state_dirs": []interface{}{"/host/run/containerd/io.containerd.runtime.v2.task"}},
		"cri-o": obj{"enabled": true, "state_dirs": []interface{}{"/host/run/containers/storage/overlay-containers",
			"/host/var/lib/containers/storage/overlay-containers"}},
	}, c["container_engines"])
	// Falco's option names: lower case, words joined by _ (cri-o is the agent's).
	var walk func(string, interface{})
	snake := regexp.MustCompile(`^[a-z0-9_]+$|^cri-o$`)
	walk = func(p string, v interface{}) {
		if m, ok := v.(obj); ok {
			for k, e := range m {
				if !snake.MatchString(k) {
					t.Errorf("shrike.yaml key %s%s is not a Falco option name", p, k)
				}
				walk(p+k+".", e)
			}
		}
	}
	walk("", c)
	eq(t, "custom rules ConfigMap data", obj{}, r.must(t, "ConfigMap", "rel-shrike-rules")["data"])
}

func TestDefaultServiceAndRBAC(t *testing.T) {
	r := render(t)
	svc := r.must(t, "Service", "rel-shrike")
	eq(t, "service type", "ClusterIP", dig(svc, "spec", "type"))
	eq(t, "service ports", []interface{}{obj{"name": "http", "port": 8765, "targetPort": "http", "protocol": "TCP"}}, dig(svc, "spec", "ports"))
	labels := dig(r.must(t, "DaemonSet", "rel-shrike"), "spec", "template", "metadata", "labels").(obj)
	for k, v := range dig(svc, "spec", "selector").(obj) {
		eq(t, "service selector "+k, v, labels[k])
	}
	eq(t, "ClusterRole rules", []interface{}{obj{"apiGroups": []interface{}{""}, "resources": []interface{}{"pods", "namespaces"},
		"verbs": []interface{}{"get", "list", "watch"}}}, r.must(t, "ClusterRole", "rel-shrike")["rules"])
	b := r.must(t, "ClusterRoleBinding", "rel-shrike")
	eq(t, "binding subject", []interface{}{obj{"kind": "ServiceAccount", "name": "rel-shrike", "namespace": "sec"}}, b["subjects"])
	eq(t, "binding role", "rel-shrike", dig(b, "roleRef", "name"))
	if !strings.Contains(r.notes, "rel-shrike.sec.svc:8765/k8s-audit") {
		t.Errorf("NOTES.txt does not name the webhook:\n%s", r.notes)
	}
}

// ---- toggles ---------------------------------------------------------------------

func TestOutputOptions(t *testing.T) {
	c := config(t, render(t, `
falco:
  json_output: true
  time_format_iso_8601: true
  priority: warning
  http_output: {enabled: true, url: "http://collector:8080/"}
  webserver: {listen_port: 9000}
`))
	eq(t, "json_output", true, c["json_output"])
	eq(t, "time_format_iso_8601", true, c["time_format_iso_8601"])
	eq(t, "priority", "warning", c["priority"])
	eq(t, "http_output", obj{"enabled": true, "url": "http://collector:8080/", "user_agent": "shrike/shrike"}, c["http_output"])
	eq(t, "listen_port", 9000, dig(c, "webserver", "listen_port"))
	eq(t, "healthz kept", "/healthz", dig(c, "webserver", "k8s_healthz_endpoint"))
}

func TestWebserverPortFollowsConfig(t *testing.T) {
	r := render(t, "falco: {webserver: {listen_port: 9000}}")
	ag := container(t, podSpec(t, r), "containers", "shrike")
	eq(t, "containerPort", 9000, dig(ag, "ports", 0, "containerPort"))
	eq(t, "probe port", "http", dig(ag, "livenessProbe", "httpGet", "port"))
	eq(t, "service targetPort", "http", dig(r.must(t, "Service", "rel-shrike"), "spec", "ports", 0, "targetPort"))
}

func TestWebserverDisabled(t *testing.T) {
	r := render(t, "falco: {webserver: {enabled: false}}")
	ag := container(t, podSpec(t, r), "containers", "shrike")
	eq(t, "ports", nil, ag["ports"])
	eq(t, "liveness", nil, ag["livenessProbe"])
	if r.get("Service", "rel-shrike") != nil {
		t.Error("a Service without a webserver")
	}
}

func TestCustomRules(t *testing.T) {
	def := render(t)
	r := render(t, `
customRules:
  a_rules.yaml: |-
    - rule: A
      desc: a
      condition: evt.type = open
      output: "a %proc.name"
      priority: WARNING
  z_rules.yaml: "- list: z\n  items: [1]"
`)
	data := r.must(t, "ConfigMap", "rel-shrike-rules")["data"].(obj)
	eq(t, "rule files", []string{"a_rules.yaml", "z_rules.yaml"}, keys(data))
	eq(t, "a_rules.yaml", "- rule: A\n  desc: a\n  condition: evt.type = open\n  output: \"a %proc.name\"\n  priority: WARNING", data["a_rules.yaml"])
	eq(t, "z_rules.yaml", "- list: z\n  items: [1]", data["z_rules.yaml"])
	ann := func(r *rendered) interface{} {
		return dig(r.must(t, "DaemonSet", "rel-shrike"), "spec", "template", "metadata", "annotations", "checksum/rules")
	}
	if ann(def) == ann(r) {
		t.Error("checksum/rules does not change with customRules: pods would keep old rules")
	}
}

func keys(m obj) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}

func TestFalcosidekick(t *testing.T) {
	c, err := LoadChart(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "dependencies", 1, len(c.Meta.Dependencies))
	d := c.Meta.Dependencies[0]
	eq(t, "dependency", []string{"falcosidekick", "falcosidekick.enabled", "https://falcosecurity.github.io/charts"},
		[]string{d.Name, d.Condition, d.Repository})
	eq(t, "off by default", []string(nil), c.EnabledDependencies(c.Values))
	eq(t, "webui off by default", false, dig(c.Values, "falcosidekick", "webui", "enabled"))

	on := "falcosidekick: {enabled: true, webui: {enabled: true}}"
	eq(t, "on when enabled", []string{"falcosidekick"}, c.EnabledDependencies(Coalesce(values(t, on), c.Values)))
	cfg := config(t, render(t, on))
	eq(t, "http_output to falcosidekick", obj{"enabled": true, "url": "http://rel-falcosidekick:2801", "user_agent": "shrike/shrike"}, cfg["http_output"])
	eq(t, "json_output forced", true, cfg["json_output"])
	eq(t, "json_include_output_property forced", true, cfg["json_include_output_property"])

	cfg = config(t, render(t, "falcosidekick: {enabled: true, fullfqdn: true, listenPort: 2810}"))
	eq(t, "fullfqdn url", "http://rel-falcosidekick.sec.svc.cluster.local:2810", dig(cfg, "http_output", "url"))
	cfg = config(t, render(t, "falcosidekick: {enabled: true}\nfalco: {http_output: {url: 'http://mine:1/'}}"))
	eq(t, "explicit url kept", "http://mine:1/", dig(cfg, "http_output", "url"))
}

func TestEventGenerator(t *testing.T) {
	r := render(t, "eventGenerator: {enabled: true}")
	job := r.must(t, "Job", "rel-shrike-eventgen")
	pod := dig(job, "spec", "template", "spec").(obj)
	eq(t, "restartPolicy", "Never", pod["restartPolicy"])
	eq(t, "no API token", false, pod["automountServiceAccountToken"])
	c := container(t, pod, "containers", "eventgen")
	eq(t, "image", "docker.io/shrike/shrike:0.1.0", c["image"])
	eq(t, "command", []string{"shrike-eventgen"}, strs(c["command"]))
	eq(t, "args", []string{"--all", "-v"}, strs(c["args"]))
	if !strings.Contains(r.notes, "event generator") {
		t.Errorf("NOTES.txt does not mention the event generator")
	}

	r = render(t, "eventGenerator: {enabled: true, kind: Deployment, image: {tag: dev}, args: [write_below_etc], interval: 30}")
	d := r.must(t, "Deployment", "rel-shrike-eventgen")
	c = container(t, dig(d, "spec", "template", "spec").(obj), "containers", "eventgen")
	eq(t, "deployment loops", []string{"/bin/sh", "-c", `while :; do shrike-eventgen "$@"; sleep 30; done`, "shrike-eventgen"}, strs(c["command"]))
	eq(t, "deployment args", []string{"write_below_etc"}, strs(c["args"]))
	eq(t, "image tag override", "docker.io/shrike/shrike:dev", c["image"])
	eq(t, "replicas", 1, dig(d, "spec", "replicas"))
	if r.get("Job", "rel-shrike-eventgen") != nil {
		t.Error("a Job as well as the Deployment")
	}

	if _, err := renderErr(t, "eventGenerator: {enabled: true, kind: CronJob}"); err == nil ||
		!strings.Contains(err.Error(), "eventGenerator.kind=CronJob: expected Job or Deployment") {
		t.Errorf("kind CronJob: %v", err)
	}
}

func TestDriverToggles(t *testing.T) {
	spec := podSpec(t, render(t, "driver: {enabled: false}"))
	eq(t, "no initContainers", nil, spec["initContainers"])
	hp := hostPaths(spec)
	if _, ok := hp["lib-modules"]; ok {
		t.Error("/lib/modules mounted without the loader")
	}
	spec = podSpec(t, render(t, "driver: {loader: {enabled: false}}"))
	eq(t, "no initContainers (loader off)", nil, spec["initContainers"])

	spec = podSpec(t, render(t, `
driver:
  kind: module
  loader:
    replaceLoaded: false
    initContainer:
      image: {registry: reg.local, tag: "1.2"}
      args: [--prebuilt-dir, /opt/modules]
      env: [{name: SHRIKE_PREBUILT_DIR, value: /opt/modules}]
      securityContext: {privileged: true}
`))
	dl := container(t, spec, "initContainers", "driver-loader")
	eq(t, "args without --replace", []string{"--prebuilt-dir", "/opt/modules"}, strs(dl["args"]))
	eq(t, "image", "reg.local/shrike/shrike-driver-loader:1.2", dl["image"])
	eq(t, "env", "SHRIKE_PREBUILT_DIR", dig(dl, "env", 1, "name"))
	eq(t, "securityContext override", obj{"privileged": true}, dl["securityContext"])

	// Falco's chart defaults to "auto" (falcosecurity/charts, falco/values.yaml):
	// the module, as kmod.
	def := podSpec(t, render(t))
	auto := podSpec(t, render(t, "driver: {kind: auto}"))
	eq(t, "driver.kind=auto: the kmod pod", def, auto)

	// Falco's eBPF drivers: the install fails with one line saying why, the
	// fail's message exactly (Helm prints "Error: execution error at
	// (shrike/templates/daemonset.yaml:1:14): MESSAGE"; the renderer ends its
	// error with "error calling fail: MESSAGE").
	for _, kind := range []string{"ebpf", "modern_ebpf", "modern-bpf", "gvisor"} {
		_, err := renderErr(t, "driver: {kind: "+kind+"}")
		want := "driver.kind=" + kind + ": Shrike has only the kernel module driver; set driver.kind to kmod (or auto)"
		if err == nil || !strings.HasSuffix(err.Error(), "error calling fail: "+want) {
			t.Errorf("driver.kind=%s: want error ending in %q, got %v", kind, want, err)
		}
	}
}

func TestScheduling(t *testing.T) {
	spec := podSpec(t, render(t, `
nodeSelector: {kubernetes.io/os: linux}
affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: Exists}]}]}}}
tolerations: [{key: dedicated, operator: Equal, value: x, effect: NoSchedule}]
podPriorityClassName: system-node-critical
resources: {limits: {memory: 2Gi}}
imagePullSecrets: [{name: regcred}]
`))
	eq(t, "nodeSelector", obj{"kubernetes.io/os": "linux"}, spec["nodeSelector"])
	eq(t, "affinity key", "a", dig(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", 0, "matchExpressions", 0, "key"))
	eq(t, "tolerations replaced", []interface{}{obj{"key": "dedicated", "operator": "Equal", "value": "x", "effect": "NoSchedule"}}, spec["tolerations"])
	eq(t, "priorityClassName (Falco's name)", "system-node-critical", spec["priorityClassName"])
	eq(t, "pull secrets", []interface{}{obj{"name": "regcred"}}, spec["imagePullSecrets"])
	ag := container(t, spec, "containers", "shrike")
	eq(t, "resources merged", obj{"requests": obj{"cpu": "100m", "memory": "256Mi"}, "limits": obj{"cpu": "1000m", "memory": "2Gi"}}, ag["resources"])

	spec = podSpec(t, render(t, "podPriorityClassName: a\npriorityClassName: b"))
	eq(t, "priorityClassName wins", "b", spec["priorityClassName"])
}

func TestExtraVolumes(t *testing.T) {
	spec := podSpec(t, render(t, `
mounts:
  volumes: [{name: certs, secret: {secretName: shrike-certs}}]
  volumeMounts: [{name: certs, mountPath: /etc/shrike/certs, readOnly: true}]
extraVolumes: [{name: scratch, emptyDir: {}}]
extraVolumeMounts: [{name: scratch, mountPath: /scratch}]
extra:
  args: [-o, "json_output=true"]
  env: [{name: A, value: b}]
`))
	ag := container(t, spec, "containers", "shrike")
	m := mounts(ag)
	eq(t, "mounts.volumeMounts", "certs,ro", m["/etc/shrike/certs"])
	eq(t, "extraVolumeMounts", "scratch", m["/scratch"])
	eq(t, "extra.args", []string{"-o", "json_output=true"}, strs(ag["args"]))
	eq(t, "extra.env", obj{"name": "A", "value": "b"}, dig(ag, "env", 1))
}

func TestCollectors(t *testing.T) {
	r := render(t, "collectors: {docker: {enabled: false}, crio: {enabled: false}, extraStateDirs: [/srv/runtime]}")
	spec := podSpec(t, r)
	m := mounts(container(t, spec, "containers", "shrike"))
	if _, ok := m["/host/var/lib/docker/containers"]; ok {
		t.Error("docker state mounted although disabled")
	}
	eq(t, "containerd kept", "state-0,ro", m["/host/run/containerd"])
	eq(t, "extra state dir", "state-1,ro", m["/host/srv/runtime"])
	eq(t, "extra state dir host path", "/srv/runtime", hostPaths(spec)["state-1"])
	eq(t, "docker off in config", false, dig(config(t, r), "container_engines", "docker", "enabled"))
	eq(t, "cri-o off in config", false, dig(config(t, r), "container_engines", "cri-o", "enabled"))
	c := config(t, render(t, "falco: {container_engines: {cache_ttl: 5, docker: {root: /x}}}"))
	eq(t, "falco.container_engines wins", obj{"enabled": true, "root": "/x"}, dig(c, "container_engines", "docker"))
	eq(t, "falco.container_engines added", 5, dig(c, "container_engines", "cache_ttl"))

	m = mounts(container(t, podSpec(t, render(t, "collectors: {enabled: false}")), "containers", "shrike"))
	for p := range m {
		if strings.HasPrefix(p, "/host/run/") || strings.HasPrefix(p, "/host/var/") {
			t.Errorf("%s mounted with collectors disabled", p)
		}
	}
}

func TestServiceAccountAndRBAC(t *testing.T) {
	r := render(t, "serviceAccount: {create: false, name: existing}\nrbac: {create: false}")
	eq(t, "objects", []string{"ConfigMap/rel-shrike", "ConfigMap/rel-shrike-rules", "DaemonSet/rel-shrike", "Service/rel-shrike"}, r.kinds())
	eq(t, "serviceAccountName", "existing", podSpec(t, r)["serviceAccountName"])
	eq(t, "default SA", "default", podSpec(t, render(t, "serviceAccount: {create: false}"))["serviceAccountName"])
	r = render(t, "serviceAccount: {name: custom, annotations: {a: b}}")
	eq(t, "SA annotations", obj{"a": "b"}, dig(r.must(t, "ServiceAccount", "custom"), "metadata", "annotations"))
	eq(t, "binding to custom SA", "custom", dig(r.must(t, "ClusterRoleBinding", "rel-shrike"), "subjects", 0, "name"))
}

func TestNodePortService(t *testing.T) {
	r := render(t, "k8sAudit: {service: {type: NodePort, nodePort: 30765}}")
	svc := r.must(t, "Service", "rel-shrike")
	eq(t, "type", "NodePort", dig(svc, "spec", "type"))
	eq(t, "nodePort", 30765, dig(svc, "spec", "ports", 0, "nodePort"))
	if !strings.Contains(r.notes, "NodePort 30765") {
		t.Errorf("NOTES.txt: %s", r.notes)
	}
	r = render(t, "k8sAudit: {service: {clusterIP: 10.96.0.200}}")
	eq(t, "fixed clusterIP", "10.96.0.200", dig(r.must(t, "Service", "rel-shrike"), "spec", "clusterIP"))
	if render(t, "k8sAudit: {service: {enabled: false}}").get("Service", "rel-shrike") != nil {
		t.Error("Service rendered while disabled")
	}
}

func TestSecurityContextOverride(t *testing.T) {
	ag := container(t, podSpec(t, render(t, "containerSecurityContext: {privileged: true}")), "containers", "shrike")
	eq(t, "override", obj{"privileged": true}, ag["securityContext"])
}

func TestNames(t *testing.T) {
	c, _ := LoadChart(chartDir)
	ms, _, err := c.Render(Release{Name: "shrike", Namespace: "x", Service: "Helm"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ms[0].Text, "name: shrike\n") {
		t.Errorf("release named like the chart: want name shrike:\n%s", ms[0].Text)
	}
	r := render(t, "fullnameOverride: sec-monitor\nimage: {registry: '', tag: v9}")
	ds := r.must(t, "DaemonSet", "sec-monitor")
	eq(t, "image without registry", "shrike/shrike:v9", dig(ds, "spec", "template", "spec", "containers", 0, "image"))
	r.must(t, "ConfigMap", "sec-monitor-rules")
}

// ---- values and docs -----------------------------------------------------------------

// leaves lists every leaf key path of values.yaml (maps descended, lists not).
func leaves(prefix string, v interface{}, out *[]string) {
	m, ok := v.(map[string]interface{})
	if !ok || len(m) == 0 {
		*out = append(*out, prefix)
		return
	}
	for k, e := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		leaves(p, e, out)
	}
}

func TestFalcoNames(t *testing.T) {
	c, _ := LoadChart(chartDir)
	var all []string
	leaves("", c.Values, &all)
	have := map[string]bool{}
	for _, k := range all {
		have[k] = true
	}
	// The names a Falco user's values file uses, with the same meaning.
	for _, k := range []string{"image.registry", "image.repository", "image.tag", "image.pullPolicy", "imagePullSecrets",
		"driver.enabled", "driver.kind", "driver.loader.enabled", "driver.loader.initContainer.image.repository",
		"driver.loader.initContainer.env", "driver.loader.initContainer.args", "driver.loader.initContainer.resources",
		"falco.json_output", "falco.json_include_output_property", "falco.json_include_tags_property",
		"falco.time_format_iso_8601", "falco.priority", "falco.rules_file", "falco.log_level", "falco.stdout_output.enabled",
		"falco.file_output.enabled", "falco.http_output.enabled", "falco.http_output.url", "falco.http_output.user_agent",
		"falco.webserver.enabled", "falco.webserver.listen_port", "falco.webserver.k8s_healthz_endpoint",
		"customRules", "falcosidekick.enabled", "falcosidekick.fullfqdn", "falcosidekick.listenPort", "falcosidekick.webui.enabled",
		"tolerations", "resources.requests.cpu", "nodeSelector", "affinity", "podPriorityClassName", "podAnnotations", "podLabels",
		"podSecurityContext", "containerSecurityContext", "mounts.volumes", "mounts.volumeMounts", "extra.args", "extra.env",
		"extra.initContainers", "serviceAccount.create", "serviceAccount.name", "rbac.create", "healthChecks.livenessProbe.periodSeconds",
		"collectors.enabled", "collectors.containerd.enabled", "collectors.crio.enabled", "collectors.docker.enabled",
		"controller.daemonset.updateStrategy.type", "nameOverride", "fullnameOverride",
		"eventGenerator.enabled", "extraVolumes", "extraVolumeMounts", "priorityClassName"} {
		if !have[k] {
			t.Errorf("values.yaml has no %s", k)
		}
	}
	eq(t, "eventGenerator off", false, dig(c.Values, "eventGenerator", "enabled"))
}

// Every value is documented in helm/README.md's table.
func TestReadmeValuesTable(t *testing.T) {
	c, _ := LoadChart(chartDir)
	b, err := os.ReadFile(filepath.Join(chartDir, "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	leaves("", c.Values, &all)
	sort.Strings(all)
	for _, k := range all {
		if !strings.Contains(string(b), "| `"+k+"` |") {
			t.Errorf("helm/README.md's values table has no row | `%s` |", k)
		}
	}
}

// The ready-made apiserver files parse and agree with the chart.
func TestExamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(chartDir, "..", "examples", "*", "*.yaml"))
	more, _ := filepath.Glob(filepath.Join(chartDir, "..", "examples", "*.yaml"))
	files = append(files, more...)
	if len(files) < 4 {
		t.Fatalf("examples: %v", files)
	}
	seen := map[string]bool{}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		var o obj
		if err := yaml3.Unmarshal(b, &o); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		base := filepath.Base(f)
		seen[base] = true
		switch base {
		case "audit-policy.yaml":
			eq(t, base+" apiVersion", "audit.k8s.io/v1", o["apiVersion"])
			eq(t, base+" kind", "Policy", o["kind"])
		case "webhook-config.yaml":
			eq(t, base+" kind", "Config", o["kind"])
			eq(t, base+" server", "http://127.0.0.1:30765/k8s-audit", dig(o, "clusters", 0, "cluster", "server"))
		case "values-audit.yaml":
			// The values that make the webhook address above true.
			r := render(t, string(b))
			svc := r.must(t, "Service", "rel-shrike")
			eq(t, base+" nodePort", 30765, dig(svc, "spec", "ports", 0, "nodePort"))
		}
	}
	for _, f := range []string{"audit-policy.yaml", "webhook-config.yaml", "values-audit.yaml", "kind-config.yaml"} {
		if !seen[f] {
			t.Errorf("examples: no %s", f)
		}
	}
}

// The agent itself reads the generated shrike.yaml (--print-config): no
// warning (an unknown option), and the values the chart meant.
func TestAgentReadsConfig(t *testing.T) {
	agent := os.Getenv("SHRIKE_AGENT")
	if agent == "" {
		t.Skip("SHRIKE_AGENT unset: shrike-agent not built")
	}
	for _, tc := range []struct {
		values string
		want   []string
	}{
		{"", []string{"rules_file: [/etc/shrike/rules, /etc/shrike/rules.d]", "webserver.listen_port: 8765",
			"webserver.k8s_audit_endpoint: /k8s-audit", "webserver.k8s_healthz_endpoint: /healthz", "syslog_output.enabled: false",
			"container_engines.proc_root: /host/proc", "container_engines.docker.root: /host/var/lib/docker/containers",
			"container_engines.containerd.state_dirs: [/host/run/containerd/io.containerd.runtime.v2.task]"}},
		{"falcosidekick: {enabled: true}", []string{"http_output.enabled: true", "http_output.url: http://rel-falcosidekick:2801", "json_output: true"}},
		{"falco: {json_output: true, time_format_iso_8601: true, priority: warning, rule_matching: all}",
			[]string{"json_output: true", "time_format_iso_8601: true", "priority: Warning", "rule_matching: all"}},
		{"collectors: {enabled: false}", []string{"container_engines.docker.enabled: false", "container_engines.cri-o.enabled: false"}},
	} {
		r := render(t, tc.values)
		s, _ := dig(r.must(t, "ConfigMap", "rel-shrike"), "data", "shrike.yaml").(string)
		f := filepath.Join(t.TempDir(), "shrike.yaml")
		if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(agent, "-c", f, "--print-config")
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("values %q: shrike-agent --print-config: %v\n%s", tc.values, err, stderr.String())
			continue
		}
		lines := strings.Split(stdout.String(), "\n")
		for _, w := range tc.want {
			found := false
			for _, l := range lines {
				found = found || l == w
			}
			if !found {
				t.Errorf("values %q: shrike-agent --print-config has no line %q:\n%s", tc.values, w, stdout.String())
			}
		}
	}
}

// ownPodEvent is the audit event the API server sends when the DaemonSet
// controller creates one of the chart's pods (audit-policy.yaml: creates at
// RequestResponse): the DaemonSet's pod template as the request, with what
// the controller adds (generateName, the owner, the node affinity), image
// replacing the agent container's image unless empty.
func ownPodEvent(t *testing.T, r *rendered, image string) []byte {
	t.Helper()
	ds := r.must(t, "DaemonSet", "rel-shrike")
	tmpl, _ := dig(ds, "spec", "template").(obj)
	// A copy: the rendered objects are shared with the caller.
	var pod obj
	b, _ := json.Marshal(obj{"metadata": tmpl["metadata"], "spec": tmpl["spec"]})
	if err := json.Unmarshal(b, &pod); err != nil {
		t.Fatal(err)
	}
	meta, spec := pod["metadata"].(obj), pod["spec"].(obj)
	meta["generateName"] = "rel-shrike-"
	meta["namespace"] = "sec"
	meta["ownerReferences"] = []interface{}{obj{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "rel-shrike",
		"uid": "5b1c2d3e-0000-4000-8000-00000000d5e7", "controller": true, "blockOwnerDeletion": true}}
	spec["affinity"] = obj{"nodeAffinity": obj{"requiredDuringSchedulingIgnoredDuringExecution": obj{
		"nodeSelectorTerms": []interface{}{obj{"matchFields": []interface{}{
			obj{"key": "metadata.name", "operator": "In", "values": []interface{}{"worker-1"}}}}}}}}
	if image != "" {
		container(t, spec, "containers", "shrike")["image"] = image
	}
	const sa = "system:serviceaccount:kube-system:daemon-set-controller"
	ev := obj{
		"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse",
		"auditID": "00000000-0000-4000-8000-00000000c0de", "stage": "ResponseComplete",
		"requestURI": "/api/v1/namespaces/sec/pods", "verb": "create",
		"user": obj{"username": sa, "groups": []interface{}{"system:serviceaccounts",
			"system:serviceaccounts:kube-system", "system:authenticated"}},
		"sourceIPs": []interface{}{"172.18.0.2"},
		"userAgent": "kube-controller-manager/v1.29.1 (linux/amd64) kubernetes/bc401b9/" + sa,
		"objectRef": obj{"resource": "pods", "namespace": "sec", "apiVersion": "v1"},
		"responseStatus": obj{"metadata": obj{}, "code": 201},
		"requestObject": obj{"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec},
		"responseObject": obj{"kind": "Pod", "apiVersion": "v1",
			"metadata": obj{"name": "rel-shrike-x7k2p", "generateName": "rel-shrike-", "namespace": "sec"}},
		"requestReceivedTimestamp": "2024-05-06T07:08:01.000000Z",
		"stageTimestamp":           "2024-05-06T07:08:01.001000Z",
		"annotations": obj{"authorization.k8s.io/decision": "allow",
			"authorization.k8s.io/reason": `RBAC: allowed by ClusterRoleBinding "system:controller:daemon-set-controller" of ClusterRole "system:controller:daemon-set-controller" to ServiceAccount "daemon-set-controller/kube-system"`},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// The default k8s_audit rules, as the chart's agent loads them, on the
// creation of the chart's own pods: hostPID and the node's /proc and /etc
// mounted, yet no alert, since rules/k8s_audit_rules.yaml trusts the chart's
// images (shrike_k8s_trusted_images); the same pod with another image alerts.
// Every rule alerting (rule_matching: all), and the opt-in "Create Disallowed
// Pod" enabled: it reads the init containers' images too (the driver loader).
func TestAuditOwnPods(t *testing.T) {
	shrikec := os.Getenv("SHRIKEC")
	if shrikec == "" {
		t.Skip("SHRIKEC unset: shrikec not built")
	}
	dir := t.TempDir()
	optIn := filepath.Join(dir, "opt_in.yaml")
	if err := os.WriteFile(optIn, []byte("- rule: Create Disallowed Pod\n  enabled: true\n  override:\n    enabled: replace\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(what string, events []byte, rules ...string) string {
		t.Helper()
		f := filepath.Join(dir, "events.jsonl")
		if err := os.WriteFile(f, events, 0o644); err != nil {
			t.Fatal(err)
		}
		args := append(append([]string{"test", "--rule-matching", "all", "../../rules", optIn}, rules...), "--events", f)
		cmd := exec.Command(shrikec, args...)
		cmd.Env = append(os.Environ(), "TZ=UTC")
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Fatalf("%s: shrikec test: %v\n%s", what, err, stderr.String())
		}
		return stdout.String()
	}
	for _, values := range []string{"", "image: {registry: \"\"}\ndriver: {loader: {initContainer: {image: {registry: \"\"}}}}"} {
		r := render(t, values)
		eq(t, "alerts for the chart's pod (values "+values+")", "", run("own pod", ownPodEvent(t, r, "")))
	}

	// Images in another registry: helm/README.md's customRules appending them.
	r := render(t, `
image: {registry: reg.example.com}
driver: {loader: {initContainer: {image: {registry: reg.example.com}}}}
customRules:
  shrike_images.yaml: |-
    - list: shrike_k8s_trusted_images
      items: [reg.example.com/shrike/shrike, reg.example.com/shrike/shrike-driver-loader]
      override:
        items: append
`)
	custom := filepath.Join(dir, "shrike_images.yaml")
	s, _ := dig(r.must(t, "ConfigMap", "rel-shrike-rules"), "data", "shrike_images.yaml").(string)
	if err := os.WriteFile(custom, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	eq(t, "alerts for the chart's pod from another registry, trusted by customRules", "", run("custom registry", ownPodEvent(t, r, ""), custom))

	const common = "user=system:serviceaccount:kube-system:daemon-set-controller pod=rel-shrike-x7k2p namespace=sec"
	const images = "images=(docker.io/library/busybox:1.36)"
	want := "07:08:01.001000000: Warning Pod started with a sensitive host path mounted (" + common +
		" hostpaths=(/proc,/etc,/sys/module,/lib/modules,/usr,/run/containerd,/run/containers/storage/overlay-containers,/var/lib/containers/storage/overlay-containers,/var/lib/docker/containers) " +
		images + " source_ips=(172.18.0.2))\n" +
		"07:08:01.001000000: Warning Pod started in the node's namespaces (" + common +
		" host_network=<NA> host_pid=true host_ipc=<NA> " + images + ")\n" +
		"07:08:01.001000000: Warning Pod started with an image not in the allowed list (" + common +
		" " + images + " init_images=(docker.io/shrike/shrike-driver-loader:0.1.0) source_ips=(172.18.0.2))\n"
	eq(t, "alerts for the chart's pod with another image", want, run("other image", ownPodEvent(t, render(t), "docker.io/library/busybox:1.36")))
}
