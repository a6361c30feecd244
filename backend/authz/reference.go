package authz

import (
	"fmt"
	"strings"
)

// Reference renders the catalog as Markdown for the README: one table per area with each
// permission's key, meaning, scopes and what the built-in roles hold.
func Reference() string {
	var b strings.Builder
	b.WriteString("Generated from the catalog in `backend/authz/catalog.go` (`go test ./backend/authz -run README -update` rewrites it).\n")
	b.WriteString("Scopes: `assigned` — projects the user is a member of (for tasks: tasks assigned to them); `all`; `own` — the user's own;\n")
	b.WriteString("`staff` — internal accounts; `clients` — portal accounts; `team` — the user's team.\n")
	roles := []string{RoleAdmin, RoleStaff, RoleClient}
	for _, ar := range Areas {
		fmt.Fprintf(&b, "\n**%s**\n\n| key | permission | scopes | Admin | Staff | Client |\n|---|---|---|---|---|---|\n", ar.Label)
		for _, p := range Catalog {
			if p.Area != ar.Key {
				continue
			}
			scopes := "—"
			if len(p.Scopes) > 0 {
				parts := make([]string, len(p.Scopes))
				for i, s := range p.Scopes {
					parts[i] = string(s)
				}
				scopes = strings.Join(parts, ", ")
			}
			fmt.Fprintf(&b, "| `%s` | %s: %s | %s |", p.Key, p.Label, p.Description, scopes)
			for _, id := range roles {
				cell := "—"
				for _, g := range BuiltIn[id] {
					if g.Key == p.Key {
						cell = "yes"
						if g.Scope != ScopeNone {
							cell = string(g.Scope)
						}
					}
				}
				fmt.Fprintf(&b, " %s |", cell)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
