// helm-render: `helm template` for this repository's chart without Helm.
//
//	helm-render [-n RELEASE] [--namespace NS] [-f values.yaml]... CHART_DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(s string) error { *f = append(*f, s); return nil }

func main() {
	var files fileList
	name := flag.String("n", "shrike", "release name")
	ns := flag.String("namespace", "default", "release namespace")
	notes := flag.Bool("notes", false, "print NOTES.txt too")
	flag.Var(&files, "f", "values file (repeatable; later ones win)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: helm-render [-n RELEASE] [--namespace NS] [-f values.yaml]... CHART_DIR")
		os.Exit(2)
	}
	c, err := LoadChart(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "helm-render:", err)
		os.Exit(1)
	}
	var over []map[string]interface{}
	for _, f := range files {
		v, err := ReadValuesFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "helm-render:", err)
			os.Exit(1)
		}
		over = append(over, v)
	}
	ms, n, err := c.Render(Release{Name: *name, Namespace: *ns, Service: "Helm", Revision: 1, IsInstall: true}, over...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helm-render:", err)
		os.Exit(1)
	}
	for _, d := range Documents(ms) {
		fmt.Printf("---\n# Source: %s\n%s\n", d.Source, strings.TrimRight(d.Text, "\n"))
	}
	if *notes {
		fmt.Printf("\nNOTES:\n%s\n", n)
	}
}
