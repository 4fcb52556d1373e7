package widget

// Roles of the on/off controls of the preferences dialog (CONTRACT.md §8: "a switch
// (role="switch" or a checkbox)").
const (
	RoleSwitch   = "switch"
	RoleCheckbox = "checkbox"
)

// CanBePartlyOn reports whether the category's control can be partly on: the category
// has at least two services that need consent, so one can be on and another off.
func (c *Category) CanBePartlyOn() bool {
	n := 0
	for _, s := range c.Services {
		if s.ConsentRequired {
			n++
		}
	}
	return !c.Required && n >= 2
}

// CategoryControlRole returns the ARIA role of the category's control in the preferences
// dialog. A switch has two states only: WAI-ARIA 1.2 leaves aria-checked="mixed"
// undefined for role="switch" (user agents treat it as "false"), so a category that can be
// partly on is a plain checkbox, whose native indeterminate state assistive technology
// announces as "mixed" / "partially checked" (the tri-state checkbox of the ARIA Authoring
// Practices). Every other optional category, and every service, is a switch.
func (c *Category) CategoryControlRole() string {
	if c.CanBePartlyOn() {
		return RoleCheckbox
	}
	return RoleSwitch
}
