package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCategoryControlRole: only a category that can be partly on gets a checkbox.
func TestCategoryControlRole(t *testing.T) {
	svc := func(id string, consent bool) Service { return Service{ID: id, ConsentRequired: consent} }
	tests := []struct {
		desc     string
		cat      Category
		partly   bool
		wantRole string
	}{
		{"no services", Category{ID: "stats"}, false, RoleSwitch},
		{"one service follows its category", Category{ID: "stats", Services: []Service{svc("a", true)}}, false, RoleSwitch},
		{"one service and an exempt one", Category{ID: "stats", Services: []Service{svc("a", true), svc("anon", false)}}, false, RoleSwitch},
		{"two services", Category{ID: "stats", Services: []Service{svc("a", true), svc("b", true)}}, true, RoleCheckbox},
		{"two services and an exempt one", Category{ID: "stats", Services: []Service{svc("a", true), svc("anon", false), svc("b", true)}}, true, RoleCheckbox},
		{"required category: no control at all", Category{ID: "necessary", Required: true, Services: []Service{svc("a", true), svc("b", true)}}, false, RoleSwitch},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			assert.Equal(t, tt.partly, tt.cat.CanBePartlyOn())
			assert.Equal(t, tt.wantRole, tt.cat.CategoryControlRole())
		})
	}
}
