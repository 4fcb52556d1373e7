package scan

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit XML, as CI systems read it: one test suite per phase, one test case per phase ×
// rule, failed when the rule has an error or warning finding in that phase (info findings
// are written to the case's output).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML.
func (r *Report) WriteJUnit(w io.Writer) error {
	all := junitSuites{Name: "consentry scan " + r.URL}
	for _, ph := range r.Phases {
		s := junitSuite{Name: ph.ID}
		for _, ru := range Rules {
			c := junitCase{Name: ru.ID, Classname: "consentry.scan." + ph.ID}
			var fail, info []string
			worst := Severity(0)
			for _, f := range r.Findings {
				if f.Phase != ph.ID || f.Rule != ru.ID {
					continue
				}
				if f.Severity >= Warning {
					fail = append(fail, f.Message)
					worst = max(worst, f.Severity)
				} else {
					info = append(info, f.Message)
				}
			}
			switch {
			case ph.Skipped != "":
				c.Skipped = &junitSkipped{Message: ph.Skipped}
				s.Skipped++
			case len(fail) > 0:
				c.Failure = &junitFailure{Message: fmt.Sprintf("%d %s finding(s): %s", len(fail), worst, ru.Summary), Type: worst.String(), Text: strings.Join(fail, "\n")}
				s.Failures++
			}
			c.SystemOut = strings.Join(info, "\n")
			s.Cases = append(s.Cases, c)
			s.Tests++
		}
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Suites = append(all.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
