package scan

import (
	"encoding/base64"
	"html/template"
	"io"
)

// htmlReport is a self-contained page: styles inline, screenshots as data: URLs.
var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"png": func(b []byte) template.URL {
		return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
	},
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>consentry scan: {{.URL}}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: .3rem .45rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f1f1f1; }
.error { color: #a40000; font-weight: 600; } .warning { color: #8a5300; font-weight: 600; } .info { color: #2b5797; }
.shot { max-width: 100%; border: 1px solid #999; }
code { font-size: 12px; }
</style>
</head>
<body>
<h1>Consent compliance scan</h1>
<p><strong>{{.URL}}</strong>, {{.StartedAt.Format "2006-01-02 15:04 MST"}}, {{.DurationMS}} ms. Policy: {{if .Policy}}<code>{{.Policy}}</code>{{else}}none{{end}}.</p>
<p>{{.Summary.Errors}} errors, {{.Summary.Warnings}} warnings, {{.Summary.Infos}} notes.</p>
<h2>Findings</h2>
{{if .Findings}}<table>
<tr><th>Severity</th><th>Rule</th><th>Phase</th><th>Finding</th><th>Policy</th></tr>
{{range .Findings}}<tr><td class="{{.Severity}}">{{.Severity}}</td><td><code>{{.Rule}}</code></td><td>{{.Phase}}</td><td>{{.Message}}</td><td><code>{{.PolicyPointer}}</code></td></tr>
{{end}}</table>{{else}}<p>No findings.</p>{{end}}
{{range .Phases}}
<h2>Phase: {{.ID}}</h2>
{{if .Skipped}}<p>Skipped: {{.Skipped}}</p>{{else}}
<p>Pages: {{range $i, $p := .Pages}}{{if $i}}, {{end}}<code>{{$p}}</code>{{end}} ({{.DurationMS}} ms)</p>
{{if .Screenshot}}<p><img class="shot" alt="Screenshot of the phase {{.ID}}" src="{{png .Screenshot}}"></p>{{end}}
<h3>Cookies</h3>
{{if .Cookies}}<table><tr><th>Name</th><th>Domain</th><th>Lifetime (days)</th><th>Declared in</th><th>Set by</th><th>After the choice</th></tr>
{{range .Cookies}}<tr><td><code>{{.Name}}</code></td><td>{{.Domain}}{{if .ThirdParty}} (third party){{end}}</td><td>{{if .Expires}}{{.LifetimeDay}}{{else}}session{{end}}</td><td>{{if .Category}}{{.Category}}{{else}}undeclared (suggested: {{.Suggested}}{{if .Provider}}, {{.Provider}}{{end}}){{end}}</td><td>{{.SetBy}}</td><td>{{.AfterChoice}}</td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}
<h3>Storage</h3>
{{if .Storage}}<table><tr><th>Kind</th><th>Origin</th><th>Key</th><th>Set by</th><th>After the choice</th></tr>
{{range .Storage}}<tr><td>{{.Kind}}</td><td>{{.Origin}}</td><td><code>{{.Key}}</code></td><td>{{.SetBy}}</td><td>{{.AfterChoice}}</td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}
<h3>Third-party requests</h3>
{{if .Requests}}<table><tr><th>URL</th><th>Type</th><th>Initiator</th><th>After the choice</th></tr>
{{range .Requests}}<tr><td><code>{{.URL}}</code>{{if .Allowed}} (allowed){{end}}</td><td>{{.Type}}</td><td>{{.Initiator}}</td><td>{{.AfterChoice}}</td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}
{{end}}{{end}}
</body>
</html>
`))

// WriteHTML writes the report as one self-contained HTML page, with a screenshot of each
// phase when the scan took them.
func (r *Report) WriteHTML(w io.Writer) error {
	return htmlReport.Execute(w, r)
}
