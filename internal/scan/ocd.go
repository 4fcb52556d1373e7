package scan

import (
	"encoding/csv"
	"strings"
	"sync"

	opencookiedatabase "github.com/consentry/consentry/third_party/open-cookie-database"
)

// knownCookie is one row of the Open Cookie Database.
type knownCookie struct {
	Name     string
	Prefix   bool   // the "Wildcard match" column: the name is a prefix
	Platform string // the provider, e.g. "Google Analytics"
	Category string // Consentry's category id for the database's category
	Purpose  string
}

// ocdCategories maps the database's categories to the category ids a Consentry policy
// usually has. Functional and security cookies are those a site needs to work.
var ocdCategories = map[string]string{
	"Functional":      "necessary",
	"Necessary":       "necessary",
	"Security":        "necessary",
	"Preferences":     "preferences",
	"Personalization": "preferences",
	"Analytics":       "statistics",
	"Marketing":       "marketing",
}

var (
	ocdOnce  sync.Once
	ocdExact map[string]knownCookie
	ocdPre   []knownCookie
)

// loadOCD parses the embedded database once.
func loadOCD() {
	ocdExact = map[string]knownCookie{}
	r := csv.NewReader(strings.NewReader(opencookiedatabase.CSV))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) == 0 {
		return // a broken copy suggests nothing; the vendoring test catches it
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	get := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	for _, row := range rows[1:] {
		k := knownCookie{
			Name:     get(row, "Cookie / Data Key name"),
			Prefix:   get(row, "Wildcard match") == "1",
			Platform: get(row, "Platform"),
			Category: ocdCategories[get(row, "Category")],
			Purpose:  get(row, "Description"),
		}
		if k.Name == "" || k.Category == "" {
			continue
		}
		if k.Prefix {
			ocdPre = append(ocdPre, k)
		} else if _, dup := ocdExact[k.Name]; !dup {
			ocdExact[k.Name] = k
		}
	}
}

// lookupCookie returns what the Open Cookie Database knows of a cookie or storage key
// name: an exact row first, else the longest matching prefix row.
func lookupCookie(name string) (knownCookie, bool) {
	ocdOnce.Do(loadOCD)
	if k, ok := ocdExact[name]; ok {
		return k, true
	}
	var best knownCookie
	for _, k := range ocdPre {
		if strings.HasPrefix(name, k.Name) && len(k.Name) > len(best.Name) {
			best = k
		}
	}
	return best, best.Name != ""
}

// suggestCategory returns the suggested category and provider of an undeclared cookie from
// the Open Cookie Database, or "unknown" when it does not know the name: a person decides.
func suggestCategory(name string) (category, provider string) {
	if k, ok := lookupCookie(name); ok {
		return k.Category, k.Platform
	}
	return "unknown", ""
}
