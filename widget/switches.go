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

// SwitchState is what the control of an optional category shows in the preferences dialog.
type SwitchState uint8

// The states of a category's control: a category that can be partly on (CanBePartlyOn)
// uses all three, every other one only off and on.
const (
	SwitchOff SwitchState = iota
	SwitchOn
	SwitchPartlyOn
)

// Switches is the state of every control of the preferences dialog: the choice the dialog
// shows, which Save records. The session computes it (from the choice in force when the
// dialog opens, then after each toggle); the preferences view renders it.
type Switches struct {
	Categories map[string]SwitchState     // optional category id → its control
	Services   map[string]map[string]bool // category id → service id → on, for services that need consent
}
