package apperr_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
)

// The module's root and import path, from here.
const (
	root       = "../.."
	modulePath = "gatehouse"
	apperrDir  = "backend/apperr"
)

// constructors are apperr's functions that take a message, and which argument is its
// format. Functions that hand their own format parameter on to one of them (wrappers,
// like identity's errEmail or an import row's fail) are found in the code and join them.
var constructors = map[string]int{
	apperrDir + ".Field":     1,
	apperrDir + ".New":       2,
	apperrDir + ".NotFoundf": 0,
	apperrDir + ".Throttle":  1,
	apperrDir + ".Textf":     0,
	apperrDir + ".Problem":   1,
}

// fromTables are the formats that are not string literals, each read from a table the
// catalog is checked against below (file, and the expression as written there).
var fromTables = map[[2]string]bool{
	{"backend/authz/catalog.go", "p.Label"}: true, // a permission's label: authz.Catalog
}

// Every message the server can say is in every language's catalog, with the same
// %-verbs; the catalogs hold nothing the code no longer says; and no message is built
// where this test cannot read it.
func TestEveryMessageIsTranslated(t *testing.T) {
	sc := scan(t)
	for _, p := range sc.problems {
		t.Error(p)
	}
	if len(sc.used) < 300 { // the scan itself must work: there are hundreds
		t.Fatalf("only %d messages found in the code", len(sc.used))
	}
	labels := map[string]bool{}
	for _, p := range authz.Catalog {
		labels[p.Label] = true
	}
	for _, lang := range []string{apperr.Portuguese} {
		cat := apperr.Catalog(lang)
		if len(cat) == 0 {
			t.Fatalf("%s: no catalog", lang)
		}
		for _, format := range slices.Sorted(maps.Keys(sc.used)) {
			if !hasWords(format) {
				continue // "%s: %s" says nothing of its own
			}
			checkTranslation(t, lang, cat, format, "used at "+strings.Join(sc.used[format], ", "))
		}
		for label := range labels {
			checkTranslation(t, lang, cat, label, "a permission's label (authz.Catalog)")
		}
		for format := range cat {
			if _, ok := sc.used[format]; !ok && !labels[format] {
				t.Errorf("%s: %q is translated but no code says it any more", lang, format)
			}
		}
	}
}

func checkTranslation(t *testing.T, lang string, cat map[string]string, format, where string) {
	t.Helper()
	tr, ok := cat[format]
	switch {
	case !ok:
		t.Errorf("%s: no translation of %q (%s)", lang, format, where)
	case strings.TrimSpace(tr) == "":
		t.Errorf("%s: the translation of %q is empty", lang, format)
	case tr == format:
		t.Errorf("%s: the translation of %q is the English", lang, format)
	case !slices.Equal(verbs(tr), verbs(format)):
		t.Errorf("%s: the translation of %q has other %%-verbs than English (%v, not %v): %q", lang, format, verbs(tr), verbs(format), tr)
	}
}

// The permissions' labels say what the UI's own Portuguese catalog says.
func TestPermissionLabelsAsTheUISaysThem(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "frontend/src/locales/pt-BR/catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ui struct {
		Permissions map[string]map[string]struct {
			Label string `json:"label"`
		} `json:"permissions"`
	}
	if err := json.Unmarshal(b, &ui); err != nil {
		t.Fatal(err)
	}
	cat := apperr.Catalog(apperr.Portuguese)
	for _, p := range authz.Catalog {
		area, action, _ := strings.Cut(p.Key, ".")
		want := ui.Permissions[area][action].Label
		if want == "" {
			t.Errorf("the UI has no label for %s", p.Key)
		} else if cat[p.Label] != want {
			t.Errorf("%s: %q says %q, the UI %q", p.Key, p.Label, cat[p.Label], want)
		}
	}
}

// The check of verbs catches what it must.
func TestVerbs(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"No user %q.", "Nenhum usuário %q.", true},
		{"No user %q.", "Nenhum usuário %s.", false},
		{"%s of %d", "%[2]d de %[1]s", true},
		{"%s of %d", "%d de %s", false},
		{"%d%% of %s", "%d%% de %s", true},
		{"%d%% of %s", "%d de %s", true}, // %% is no verb
		{"%5.2f", "%5.2f", true},
		{"%5.2f", "%.2f", false},
		{"%s", "", false},
	} {
		if got := slices.Equal(verbs(c.a), verbs(c.b)); got != c.same {
			t.Errorf("%q vs %q: same %v, want %v", c.a, c.b, got, c.same)
		}
	}
	if hasWords("%s: %s") || !hasWords("%s is %s") {
		t.Error("hasWords")
	}
}

// verbs are a format's %-verbs by the argument each formats ("0:s"), sorted.
func verbs(format string) []string {
	var out []string
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		spec := ""
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			spec += format[i : i+1]
			i++
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if n, err := strconv.Atoi(format[i+1 : i+max(end, 1)]); end > 0 && err == nil {
				arg = n - 1
				i += end + 1
			}
		}
		for i < len(format) && (format[i] == '.' || format[i] >= '0' && format[i] <= '9') {
			spec += format[i : i+1]
			i++
		}
		if i < len(format) {
			out = append(out, fmt.Sprintf("%d:%s%c", arg, spec, format[i]))
			arg++
		}
	}
	slices.Sort(out)
	return out
}

// hasWords reports whether format says anything besides its verbs.
func hasWords(format string) bool {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) {
			i++
			for i < len(format) && !unicode.IsLetter(rune(format[i])) && format[i] != '%' {
				i++
			}
			continue
		}
		b.WriteByte(format[i])
	}
	return strings.ContainsFunc(b.String(), unicode.IsLetter)
}

// ---- reading the code ---------------------------------------------------------------------

type goFile struct {
	path string // relative to root
	dir  string
	f    *ast.File
}

type scanner struct {
	fset   *token.FileSet
	files  []*goFile
	consts map[string]map[string]constDecl // dir → name → declaration
	// wrappers: constructors found in the code (dir.Name, or dir.(m).Name for methods)
	wrappers map[string]int
	used     map[string][]string // format → where
	problems []string
}

type constDecl struct {
	file *goFile
	expr ast.Expr
}

func scan(t *testing.T) *scanner {
	sc := &scanner{fset: token.NewFileSet(), consts: map[string]map[string]constDecl{}, wrappers: map[string]int{}, used: map[string][]string{}}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata" || name == "frontend" || name == "e2e") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(sc.fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		gf := &goFile{path: rel, dir: pathDir(rel), f: f}
		sc.files = append(sc.files, gf)
		for _, decl := range f.Decls {
			if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							if sc.consts[gf.dir] == nil {
								sc.consts[gf.dir] = map[string]constDecl{}
							}
							sc.consts[gf.dir][n.Name] = constDecl{gf, vs.Values[i]}
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sc.findWrappers()
	for _, gf := range sc.files {
		sc.readFile(gf)
	}
	return sc
}

func pathDir(rel string) string {
	d := filepath.ToSlash(filepath.Dir(rel))
	if d == "." {
		return ""
	}
	return d
}

// callee is the key of the function a call calls, as constructors and wrappers name them
// ("" when it is none this test can name).
func (sc *scanner) callee(gf *goFile, call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return gf.dir + "." + fn.Name
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok {
			if dir, ok := importDir(gf.f, x.Name); ok {
				return dir + "." + fn.Sel.Name
			}
		}
		return gf.dir + ".(m)." + fn.Sel.Name
	}
	return ""
}

// formatAt is which argument of a call to key is the format (-1: not a constructor).
func (sc *scanner) formatAt(key string) int {
	if i, ok := constructors[key]; ok {
		return i
	}
	if i, ok := sc.wrappers[key]; ok {
		return i
	}
	return -1
}

// importDir is the module directory a file's import named name refers to.
func importDir(f *ast.File, name string) (string, bool) {
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		local := p[strings.LastIndexByte(p, '/')+1:]
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local == name {
			if rest, ok := strings.CutPrefix(p, modulePath+"/"); ok {
				return rest, true
			}
			return "", false
		}
	}
	return "", false
}

// findWrappers finds functions that pass a parameter of theirs on as the format of a
// constructor, until no more are found.
func (sc *scanner) findWrappers() {
	for found := true; found; {
		found = false
		for _, gf := range sc.files {
			for _, decl := range gf.f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				key := gf.dir + "." + fd.Name.Name
				if fd.Recv != nil {
					key = gf.dir + ".(m)." + fd.Name.Name
				}
				if _, ok := sc.wrappers[key]; ok {
					continue
				}
				params := paramNames(fd)
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					at := sc.formatAt(sc.callee(gf, call))
					if at < 0 || at >= len(call.Args) {
						return true
					}
					if id, ok := call.Args[at].(*ast.Ident); ok {
						if i := slices.Index(params, id.Name); i >= 0 {
							sc.wrappers[key] = i
							found = true
						}
					}
					return true
				})
			}
		}
	}
}

func paramNames(fd *ast.FuncDecl) []string {
	var out []string
	for _, field := range fd.Type.Params.List {
		if len(field.Names) == 0 {
			out = append(out, "_")
		}
		for _, n := range field.Names {
			out = append(out, n.Name)
		}
	}
	return out
}

// readFile records the formats of every constructor call in gf and what cannot be read.
func (sc *scanner) readFile(gf *goFile) {
	var fd *ast.FuncDecl
	ast.Inspect(gf.f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			fd = n
		case *ast.CompositeLit:
			if sel, ok := n.Type.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Error" || sel.Sel.Name == "FieldError") {
				if x, ok := sel.X.(*ast.Ident); ok {
					if dir, ok := importDir(gf.f, x.Name); ok && dir == apperrDir && len(n.Elts) > 0 {
						sc.problem(n, "an apperr.%s is made field by field: make it with a constructor (apperr.New, apperr.Field…), so that its message is translated", sel.Sel.Name)
					}
				}
			}
		case *ast.CallExpr:
			key := sc.callee(gf, n)
			at := sc.formatAt(key)
			if at < 0 {
				return true
			}
			if at >= len(n.Args) {
				sc.problem(n, "%s has no format", key)
				return true
			}
			arg := n.Args[at]
			if id, ok := arg.(*ast.Ident); ok && fd != nil && slices.Contains(paramNames(fd), id.Name) && sc.isWrapper(gf, fd) {
				return true // a wrapper handing its own format on: its callers are read
			}
			format, ok := sc.str(gf, arg)
			if !ok {
				expr := exprString(sc.fset, arg)
				if fromTables[[2]string{gf.path, expr}] {
					return true
				}
				sc.problem(arg, "the format of a message (%s) is %s, not a string literal: the catalog test cannot read it; write the message as a literal, or pass a Text (apperr.Textf) as an argument of one", key, expr)
				return true
			}
			sc.used[format] = append(sc.used[format], sc.pos(arg))
		}
		return true
	})
}

func (sc *scanner) isWrapper(gf *goFile, fd *ast.FuncDecl) bool {
	key := gf.dir + "." + fd.Name.Name
	if fd.Recv != nil {
		key = gf.dir + ".(m)." + fd.Name.Name
	}
	_, ok := sc.wrappers[key]
	return ok
}

// str is the value of a constant string expression: literals, their sums, and constants.
func (sc *scanner) str(gf *goFile, e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return sc.str(gf, e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := sc.str(gf, e.X)
		b, ok2 := sc.str(gf, e.Y)
		return a + b, ok1 && ok2
	case *ast.Ident:
		if c, ok := sc.consts[gf.dir][e.Name]; ok {
			return sc.str(c.file, c.expr)
		}
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if dir, ok := importDir(gf.f, x.Name); ok {
				if c, ok := sc.consts[dir][e.Sel.Name]; ok {
					return sc.str(c.file, c.expr)
				}
			}
		}
	}
	return "", false
}

func (sc *scanner) pos(n ast.Node) string {
	p := sc.fset.Position(n.Pos())
	rel, _ := filepath.Rel(root, p.Filename)
	return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), p.Line)
}

func (sc *scanner) problem(n ast.Node, format string, args ...any) {
	sc.problems = append(sc.problems, sc.pos(n)+": "+fmt.Sprintf(format, args...))
}

func exprString(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	printer.Fprint(&b, fset, e)
	return b.String()
}
