package scan

import (
	"encoding/json"
	"io"
)

// SARIF 2.1.0 (OASIS), the subset code-scanning tools read: one run, the rules, and one
// result per finding located in policy.json, so that the findings show on the file.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	ShortDescription     sarifText     `json:"shortDescription"`
	Help                 sarifText     `json:"help"`
	DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
}

type sarifRuleConf struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  int             `json:"ruleIndex"`
	Level      string          `json:"level"`
	Message    sarifText       `json:"message"`
	Locations  []sarifLocation `json:"locations,omitempty"`
	Properties map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// sarifLevel maps a severity to SARIF's level.
func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes the report as SARIF 2.1.0. Each finding is located in the policy file
// given with -policy (at its JSON pointer, else at the top), or has no location when the
// policy came from the page.
func (r *Report) WriteSARIF(w io.Writer) error {
	drv := sarifDriver{Name: "consentry scan", InformationURI: "https://github.com/consentry/consentry#check-your-site"}
	index := map[string]int{}
	for i, ru := range Rules {
		index[ru.ID] = i
		drv.Rules = append(drv.Rules, sarifRule{ID: ru.ID, ShortDescription: sarifText{ru.Summary}, Help: sarifText{"Fix: " + ru.Fix},
			DefaultConfiguration: sarifRuleConf{sarifLevel(ru.Severity)}})
	}
	results := []sarifResult{}
	for _, f := range r.Findings {
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity), Message: sarifText{"[" + f.Phase + "] " + f.Message},
			Properties: map[string]any{"phase": f.Phase, "evidence": f.Evidence}}
		if f.PolicyPointer != "" {
			res.Properties["policyPointer"] = f.PolicyPointer
		}
		if r.policyFile != "" {
			loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: r.policyFile}, Region: &sarifRegion{StartLine: 1, StartColumn: 1}}
			if f.PolicyPointer != "" {
				if line, col, err := pointerPosition(r.policyText, f.PolicyPointer); err == nil {
					loc.Region = &sarifRegion{StartLine: line, StartColumn: col}
				}
			}
			res.Locations = []sarifLocation{{PhysicalLocation: loc}}
		}
		results = append(results, res)
	}
	log := sarifLog{
		Schema:  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: drv}, Results: results}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
