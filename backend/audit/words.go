package audit

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gatehouse/backend/store"
	"gatehouse/frontend/src/locales"
)

// Words are the activity log's texts in one language, from the UI's own locale file
// (frontend/src/locales/<language>/activity.json): what each action is, each kind, each
// detail's label and a few values. The server uses them to write the CSV export as the
// Activity page reads.
type Words struct {
	texts map[string]any
}

// LoadWords reads the activity texts of lang ("en", "pt-BR").
func LoadWords(lang string) (*Words, error) {
	return loadWords(locales.FS, lang)
}

func loadWords(fsys fs.FS, lang string) (*Words, error) {
	b, err := fs.ReadFile(fsys, lang+"/activity.json")
	if err != nil {
		return nil, fmt.Errorf("audit: words of %s: %w", lang, err)
	}
	var w Words
	if err := json.Unmarshal(b, &w.texts); err != nil {
		return nil, fmt.Errorf("audit: words of %s: %w", lang, err)
	}
	return &w, nil
}

// text is the string at the dotted path (i18next's keys), "" when there is none.
func (w *Words) text(path ...string) string {
	var at any = w.texts
	for _, p := range path {
		m, ok := at.(map[string]any)
		if !ok {
			return ""
		}
		at = m[p]
	}
	s, _ := at.(string)
	return s
}

// Action is what action does, in words ("" when the locale has none).
func (w *Words) Action(action string) string {
	prefix, rest, ok := strings.Cut(action, ".")
	if !ok {
		return ""
	}
	return w.text("actions", prefix, rest)
}

// Kind is a kind of action in words ("" when the locale has none).
func (w *Words) Kind(kind string) string { return w.text("kinds", kind) }

// detailKey is a detail's label: its words, or the key spelled out ("clientVisible" →
// "Client visible") as the page does.
func (w *Words) detailKey(k string) string {
	if s := w.text("detailKeys", k); s != "" {
		return s
	}
	var b strings.Builder
	for i, r := range k {
		switch {
		case r == '_' || r == '-':
			b.WriteRune(' ')
		case i > 0 && unicode.IsUpper(r):
			b.WriteRune(' ')
			b.WriteRune(unicode.ToLower(r))
		case i == 0:
			b.WriteRune(unicode.ToUpper(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (w *Words) value(k string) string { return w.text("values", k) }

// value writes one detail's value in words: names for Refs, "from → to", lists joined.
func (w *Words) valueText(key string, v any) string {
	if r, ok := asRef(v); ok {
		if r.Name == "" {
			return w.value("unknown")
		}
		return r.Name
	}
	switch t := v.(type) {
	case nil:
		return "—"
	case string:
		if t == "" {
			return "—"
		}
		if key == "activityRetentionDays" {
			if t == "0" {
				return w.value("forever")
			}
			return strings.ReplaceAll(w.text("values", "days_other"), "{{count}}", t)
		}
		return t
	case bool:
		if t {
			return w.value("yes")
		}
		return w.value("no")
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1e15 {
			return strconv.FormatInt(int64(t), 10)
		}
		return strconv.FormatFloat(t, 'f', -1, 64)
	case int, int64:
		return fmt.Sprint(t)
	case []any:
		if len(t) == 0 {
			return w.value("none")
		}
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = w.valueText(key, x)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		if from, ok := t["from"]; ok {
			return w.valueText(key, from) + " → " + w.valueText(key, t["to"])
		}
		return w.detailsText(t)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// detailsText writes details as "Label: value; Label: value", in key order; details that
// are only {from, to} are "from → to".
func (w *Words) detailsText(d map[string]any) string {
	if _, ok := d["from"]; ok && len(d) == 2 {
		if _, ok := d["to"]; ok {
			return w.valueText("", d["from"]) + " → " + w.valueText("", d["to"])
		}
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		// "userId" beside "user" names the same person twice.
		if base, ok := strings.CutSuffix(k, "Id"); ok {
			if _, dup := d[base]; dup {
				continue
			}
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = w.detailKey(k) + ": " + w.valueText(k, d[k])
	}
	return strings.Join(parts, "; ")
}

// Text is an entry in words, for the CSV export: the action ("Signed in 3 times" for a
// day's sign-ins), and its details.
func (w *Words) Text(e *store.AuditEntry) (action, details string) {
	action = w.Action(e.Action)
	if action == "" {
		action = e.Action
	}
	details = w.detailsText(e.Details)
	if g := e.Group; g != nil && g.Count > 1 {
		action = strings.ReplaceAll(w.text("signIns", "action_other"), "{{count}}", strconv.Itoa(g.Count))
		group := strings.NewReplacer("{{first}}", g.FirstAt.UTC().Format(time.RFC3339), "{{last}}", e.At.UTC().Format(time.RFC3339)).
			Replace(w.text("signIns", "span"))
		if len(g.Addresses) > 0 {
			group += "; " + w.detailKey("addresses") + ": " + strings.Join(g.Addresses, ", ")
		}
		details = strings.TrimPrefix(details+"; "+group, "; ")
	}
	return action, details
}
