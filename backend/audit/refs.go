package audit

import (
	"context"
	"slices"

	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Names in the log. An entry keeps ids underneath — its actor, its target, and the
// details the catalog says name things (Refs) — each with the name it had when written.
// A reader gets the name as it is now for whatever they may see (authz's View, the one
// predicate of each type), so a renamed person or project reads with its new name; for
// anything else — deleted, or hidden from them — the name recorded then, never a newer one.

// Ref is a person or thing named in an entry's details: its type (an authz type name),
// id, and name (recorded when written; as Resolve gives it when read, "" when unknown).
type Ref struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

// asRef reads a Ref from a decoded JSON value (an object with type and id).
func asRef(v any) (Ref, bool) {
	switch r := v.(type) {
	case Ref:
		return r, true
	case map[string]any:
		t, ok1 := r["type"].(string)
		id, ok2 := r["id"].(string)
		if !ok1 || !ok2 || len(r) > 3 {
			return Ref{}, false
		}
		name, _ := r["name"].(string)
		return Ref{Type: t, ID: id, Name: name}, true
	}
	return Ref{}, false
}

// refsIn turns the ids a detail holds into Refs of typ: an id, a list of ids, {from, to}
// ids, or (written before the catalog said so) a map whose keys are ids. Refs stay; ""
// stays. each is called for every Ref made or found.
func refsIn(v any, typ string, each func(*Ref)) any {
	one := func(x any) any {
		if id, ok := x.(string); ok && id != "" {
			r := Ref{Type: typ, ID: id}
			each(&r)
			return r
		}
		return walkRefs(x, each)
	}
	ids := func(keys []string) []any {
		slices.Sort(keys)
		out := make([]any, len(keys))
		for i, id := range keys {
			out[i] = one(id)
		}
		return out
	}
	switch t := v.(type) {
	case string:
		return one(t)
	case []string:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = one(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = one(x)
		}
		return out
	case map[string]string:
		if _, ok := t["from"]; ok {
			return map[string]any{"from": one(t["from"]), "to": one(t["to"])}
		}
	case map[string]any:
		if _, ok := asRef(t); ok {
			return walkRefs(t, each)
		}
		if _, ok := t["from"]; ok {
			return map[string]any{"from": one(t["from"]), "to": one(t["to"])}
		}
		// {id: count} (a handover's people, as first written): the people.
		keys := make([]string, 0, len(t))
		for id := range t {
			keys = append(keys, id)
		}
		return ids(keys)
	case map[string]int:
		keys := make([]string, 0, len(t))
		for id := range t {
			keys = append(keys, id)
		}
		return ids(keys)
	}
	return walkRefs(v, each)
}

// walkRefs calls each for every Ref in v (nested in lists and objects) and returns v
// with them as each left them.
func walkRefs(v any, each func(*Ref)) any {
	if r, ok := asRef(v); ok {
		each(&r)
		return r
	}
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = walkRefs(x, each)
		}
		return out
	case []Ref:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = walkRefs(x, each)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = walkRefs(x, each)
		}
		return out
	}
	return v
}

// nameRefs returns details with the ids refs names (detail → type) turned into Refs
// named as they are now, read in tx.
func nameRefs(ctx context.Context, tx *store.Store, refs map[string]string, details map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(details))
	wanted := map[string][]string{}
	for k, v := range details {
		out[k] = v
		if typ, ok := refs[k]; ok {
			out[k] = refsIn(v, typ, func(r *Ref) { wanted[r.Type] = append(wanted[r.Type], r.ID) })
		}
	}
	names := map[string]map[string]string{}
	for typ, ids := range wanted {
		n, err := tx.NamesOf(ctx, typ, ids)
		if err != nil {
			return nil, err
		}
		names[typ] = n
	}
	for k, v := range out {
		if _, ok := refs[k]; ok {
			out[k] = walkRefs(v, func(r *Ref) {
				if n, ok := names[r.Type][r.ID]; ok && r.Name == "" {
					r.Name = n
				}
			})
		}
	}
	return out, nil
}

// legacyPairs are details written as [from, to] lists before changes were {from, to}.
var legacyPairs = map[string][]string{
	"user.update":    {"name", "email"},
	"company.update": {"name", "email", "phone", "address", "notes", "website"},
	"project.update": {"name", "status", "company"},
	"role.update":    {"name", "kind"},
	"file.update":    {"name", "folder"},
	"folder.update":  {"name", "parentId"},
}

// readDetails returns e's details in today's shapes: [from, to] lists as {from, to}, and
// the details its action's catalog entry names as Refs.
func readDetails(e *store.AuditEntry) map[string]any {
	out := make(map[string]any, len(e.Details))
	for k, v := range e.Details {
		out[k] = v
	}
	for _, k := range legacyPairs[e.Action] {
		if l, ok := out[k].([]any); ok && len(l) == 2 {
			out[k] = map[string]any{"from": l[0], "to": l[1]}
		}
	}
	def, _ := Lookup(e.Action)
	for k, typ := range def.Refs {
		if v, ok := out[k]; ok {
			out[k] = refsIn(v, typ, func(*Ref) {})
		}
	}
	return out
}

// Resolve gives entries, read for actor, the names of their actor, target and the people
// and things their details name: as they are now where the actor may see them, else as
// recorded (the target's and actor's names) or unknown ("", a detail written as a bare id).
func (s *Service) Resolve(ctx context.Context, actor authz.Actor, entries []*store.AuditEntry) error {
	wanted := map[string][]string{}
	add := func(typ, id string) {
		if id != "" {
			wanted[typ] = append(wanted[typ], id)
		}
	}
	details := make([]map[string]any, len(entries))
	for i, e := range entries {
		add("user", e.ActorID)
		add(e.TargetType, e.TargetID)
		details[i] = readDetails(e)
		for _, v := range details[i] {
			walkRefs(v, func(r *Ref) { add(r.Type, r.ID) })
		}
	}
	// The names now of what the actor may see.
	now := map[string]map[string]string{}
	for typ, ids := range wanted {
		t, ok := authz.TypeOf(typ)
		if !ok {
			continue
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		seen, err := s.authz.Visible(actor, t, ids)
		if err != nil {
			return err
		}
		n, err := s.store.NamesOf(ctx, typ, seen)
		if err != nil {
			return err
		}
		now[typ] = n
	}
	name := func(typ, id, recorded string) string {
		if n, ok := now[typ][id]; ok {
			return n
		}
		return recorded
	}
	for i, e := range entries {
		if e.ActorID != "" {
			e.ActorName = name("user", e.ActorID, e.ActorName)
		}
		if e.TargetID != "" {
			e.TargetName = name(e.TargetType, e.TargetID, e.TargetName)
		}
		for k, v := range details[i] {
			details[i][k] = walkRefs(v, func(r *Ref) { r.Name = name(r.Type, r.ID, r.Name) })
		}
		e.Details = details[i]
	}
	return nil
}
