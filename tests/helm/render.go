// render.go - renders a Helm chart the way Helm 3 does, with the same
// libraries: Go's text/template, sprig, Helm's own functions (include, tpl,
// required, toYaml, fromYaml, toJson, fromJson) and Helm's value handling
// (numbers are float64 as after Helm's YAML->JSON->Go decoding, user values
// coalesced over the chart's, a null deleting a key, "<no value>" erased).
// Helm is not packaged for Debian; this keeps `make check` offline.
//
// Not implemented, so the chart must not use them: lookup, .Files,
// .Capabilities, toToml, subchart rendering (dependencies are reported, not
// rendered).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v2"
)

// ChartMeta holds the Chart.yaml fields templates may read as .Chart.X.
type ChartMeta struct {
	APIVersion   string `yaml:"apiVersion"`
	Name         string `yaml:"name"`
	Version      string `yaml:"version"`
	AppVersion   string `yaml:"appVersion"`
	Description  string `yaml:"description"`
	Type         string `yaml:"type"`
	Keywords     []string
	Dependencies []struct {
		Name       string `yaml:"name"`
		Version    string `yaml:"version"`
		Repository string `yaml:"repository"`
		Condition  string `yaml:"condition"`
	} `yaml:"dependencies"`
}

type Release struct {
	Name      string
	Namespace string
	Service   string
	Revision  int
	IsInstall bool
	IsUpgrade bool
}

type Chart struct {
	Dir       string
	Meta      ChartMeta
	Values    map[string]interface{}
	templates map[string]string // "<chart>/templates/<file>" -> text
}

// Manifest is one rendered template file.
type Manifest struct {
	Source string
	Text   string
}

func LoadChart(dir string) (*Chart, error) {
	c := &Chart{Dir: dir, templates: map[string]string{}}
	b, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	if err := yaml.UnmarshalStrict(b, &c.Meta); err != nil {
		return nil, fmt.Errorf("Chart.yaml: %v", err)
	}
	if c.Values, err = ReadValuesFile(filepath.Join(dir, "values.yaml")); err != nil {
		return nil, err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "templates", "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c.templates[c.Meta.Name+"/templates/"+filepath.Base(f)] = string(b)
	}
	return c, nil
}

// ReadValues decodes YAML as Helm does (sigs.k8s.io/yaml: YAML -> JSON ->
// encoding/json), so numbers become float64 exactly as in Helm.
func ReadValues(data []byte) (map[string]interface{}, error) {
	var raw interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	j, err := json.Marshal(jsonable(raw))
	if err != nil {
		return nil, err
	}
	vals := map[string]interface{}{}
	if string(j) != "null" {
		if err := json.Unmarshal(j, &vals); err != nil {
			return nil, fmt.Errorf("values must be a map: %v", err)
		}
	}
	return vals, nil
}

func ReadValuesFile(path string) (map[string]interface{}, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := ReadValues(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return v, nil
}

func jsonable(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		m := make(map[string]interface{}, len(t))
		for k, e := range t {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []interface{}:
		for i := range t {
			t[i] = jsonable(t[i])
		}
	}
	return v
}

// Coalesce merges user values over defaults as Helm does: maps merge key by
// key, anything else replaces, and a null removes the key.
func Coalesce(user, defaults map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range user {
		if v == nil {
			delete(out, k)
			continue
		}
		um, uok := v.(map[string]interface{})
		dm, dok := out[k].(map[string]interface{})
		if uok && dok {
			out[k] = Coalesce(um, dm)
		} else {
			out[k] = v
		}
	}
	return out
}

// toYAML is Helm's: sigs.k8s.io/yaml.Marshal (JSON first, so keys sorted and
// JSON's types), without the final newline.
func toYAML(v interface{}) string {
	j, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var obj interface{}
	if err := yaml.Unmarshal(j, &obj); err != nil {
		return ""
	}
	b, err := yaml.Marshal(obj)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(b), "\n")
}

func fromYAML(s string) map[string]interface{} {
	m, err := ReadValues([]byte(s))
	if err != nil {
		return map[string]interface{}{"Error": err.Error()}
	}
	return m
}

func toJSON(v interface{}) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func fromJSON(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

const recursionMax = 1000

func funcMap(t *template.Template, included map[string]int) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = toYAML
	f["fromYaml"] = fromYAML
	f["toJson"] = toJSON
	f["fromJson"] = fromJSON
	f["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, fmt.Errorf("%s", warn)
		}
		if s, ok := val.(string); ok && s == "" {
			return val, fmt.Errorf("%s", warn)
		}
		return val, nil
	}
	f["include"] = func(name string, data interface{}) (string, error) {
		if included[name] > recursionMax {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		included[name]++
		defer func() { included[name]-- }()
		var buf strings.Builder
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(text string, vals interface{}) (string, error) {
		c, err := t.Clone()
		if err != nil {
			return "", err
		}
		c.Option("missingkey=zero")
		c.Funcs(funcMap(c, included))
		c, err = c.New(t.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %v", text, err)
		}
		var buf strings.Builder
		if err := c.Execute(&buf, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %v", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["lookup"] = func(...interface{}) (interface{}, error) {
		return nil, fmt.Errorf("lookup is not implemented by this renderer")
	}
	return f
}

// Render renders every template but partials (_*) and returns them sorted by
// name, plus NOTES.txt's text. Values from overrides apply in order.
func (c *Chart) Render(rel Release, overrides ...map[string]interface{}) ([]Manifest, string, error) {
	vals := c.Values
	for _, o := range overrides {
		vals = Coalesce(o, vals)
	}
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	included := map[string]int{}
	t.Funcs(funcMap(t, included))
	names := make([]string, 0, len(c.templates))
	for n := range c.templates {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := t.New(n).Parse(c.templates[n]); err != nil {
			return nil, "", err
		}
	}
	top := map[string]interface{}{
		"Values":  vals,
		"Release": rel,
		"Chart":   c.Meta,
	}
	var out []Manifest
	notes := ""
	for _, n := range names {
		base := filepath.Base(n)
		if strings.HasPrefix(base, "_") {
			continue
		}
		ctx := map[string]interface{}{}
		for k, v := range top {
			ctx[k] = v
		}
		ctx["Template"] = map[string]interface{}{"Name": n, "BasePath": c.Meta.Name + "/templates"}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, n, ctx); err != nil {
			return nil, "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if base == "NOTES.txt" {
			notes = text
			continue
		}
		out = append(out, Manifest{Source: n, Text: text})
	}
	return out, notes, nil
}

// Enabled reports which dependencies their condition turns on.
func (c *Chart) EnabledDependencies(vals map[string]interface{}) []string {
	var on []string
	for _, d := range c.Meta.Dependencies {
		if d.Condition == "" {
			on = append(on, d.Name)
			continue
		}
		var v interface{} = vals
		for _, p := range strings.Split(d.Condition, ".") {
			m, _ := v.(map[string]interface{})
			v = m[p]
		}
		if b, _ := v.(bool); b {
			on = append(on, d.Name)
		}
	}
	return on
}

// Documents splits rendered manifests into YAML documents as Helm does,
// dropping empty ones.
func Documents(ms []Manifest) []Manifest {
	var docs []Manifest
	for _, m := range ms {
		for _, d := range strings.Split("\n"+m.Text, "\n---") {
			if isEmptyDoc(d) {
				continue
			}
			docs = append(docs, Manifest{Source: m.Source, Text: strings.TrimLeft(d, "\n")})
		}
	}
	return docs
}

func isEmptyDoc(d string) bool {
	for _, l := range strings.Split(d, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}
