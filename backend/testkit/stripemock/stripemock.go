// Package stripemock runs Stripe's own stripe-mock (github.com/stripe/stripe-mock) on
// 127.0.0.1 for tests, so payment code talks real HTTP to a server that checks every
// request against Stripe's OpenAPI specification.
//
// The version is pinned in one place: go.mod's `tool github.com/stripe/stripe-mock`
// line and its require. `go mod download` (scripts/setup.sh) fetches it from the module
// proxy with the other modules; Start builds it with `go tool -n stripe-mock` once per
// test binary, and Go's build cache keeps the executable, so only the first build on a
// machine takes a few seconds.
//
// What stripe-mock is: it validates parameters (an unknown or mistyped one is a 400) and
// answers with fixed fixture data of the right shape, reflecting the values of some
// request parameters into the answer. It keeps no state (a Retrieve does not see what a
// Create sent), so a Checkout Session always comes back "open" and "unpaid" unless the
// fixtures are overridden (Options.Fixtures), and it never sends webhooks: a test builds
// and signs the event itself (see the package's test for stripe.GenerateTestSignedPayload).
//
// It is test support: never wire it into the application.
package stripemock

import (
	"bufio"
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Module is the Go module that provides the binary; its version is the one in go.mod.
const Module = "github.com/stripe/stripe-mock"

// APIKey is a key the mock accepts (any "sk_test_…" works; it checks only the form).
const APIKey = "sk_test_123"

// Options change what the mock answers.
type Options struct {
	// Fixtures overrides fields of the bundled fixtures, by object name, e.g.
	// {"checkout.session": {"status": "complete", "payment_status": "paid"}}. The
	// fields are merged over the bundled fixture (top-level fields replaced).
	Fixtures map[string]map[string]any
}

// Server is a running stripe-mock.
type Server struct {
	url     string
	version string
	cmd     *exec.Cmd
	done    chan struct{}
	logMu   sync.Mutex
	log     bytes.Buffer
}

// URL is the API base, e.g. http://127.0.0.1:41234 — give it to stripe-go as the
// API backend's URL.
func (s *Server) URL() string { return s.url }

// Version is the stripe-mock module version that runs (from go.mod).
func (s *Server) Version() string { return s.version }

// Log is what the mock printed so far.
func (s *Server) Log() string {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return s.log.String()
}

// Start builds stripe-mock if needed, starts it on a free port of 127.0.0.1, waits until
// it answers, and stops it when the test ends.
func Start(t testing.TB) *Server { return StartWith(t, Options{}) }

// StartWith is Start with options.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	s, err := Run(t.TempDir(), o)
	if err != nil {
		t.Fatalf("stripemock: %v", err)
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("stripe-mock's output:\n%s", s.Log())
		}
	})
	return s
}

// Run builds stripe-mock if needed and starts it on a free port of 127.0.0.1 (fixtures,
// when overridden, are written in dir); the caller stops it. For programs that are not Go
// tests (the browser end-to-end tests' e2e/stripe-mock).
func Run(dir string, o Options) (*Server, error) {
	b, err := binary()
	if err != nil {
		return nil, err
	}
	args := []string{
		"-http-addr", "127.0.0.1:0",
		// Without an HTTPS address it would also listen for HTTPS on every interface
		// on port 12112; keep that on loopback, on a free port, and unused.
		"-https-addr", "127.0.0.1:0",
	}
	if len(o.Fixtures) > 0 {
		path, err := writeFixtures(dir, b.moduleDir, o.Fixtures)
		if err != nil {
			return nil, err
		}
		args = append(args, "-fixtures", path)
	}
	return start(b, args)
}

// Stop stops the mock.
func (s *Server) Stop() { s.stop() }

type built struct {
	path, version, moduleDir string
}

var (
	buildOnce sync.Once
	buildRes  built
	buildErr  error
)

// binary builds (or finds in Go's build cache) the stripe-mock of go.mod, once per
// test binary.
func binary() (built, error) {
	buildOnce.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			buildErr = fmt.Errorf("the go command is needed to build stripe-mock: %w", err)
			return
		}
		// `go tool -n` builds the tool into the build cache and prints its path.
		out, err := exec.Command(goBin, "tool", "-n", "stripe-mock").Output()
		if err != nil {
			buildErr = fmt.Errorf("go tool -n stripe-mock: %v%s", err, stderrOf(err))
			return
		}
		buildRes.path = strings.TrimSpace(string(out))
		info, err := buildinfo.ReadFile(buildRes.path)
		if err != nil {
			buildErr = fmt.Errorf("reading %s: %w", buildRes.path, err)
			return
		}
		if info.Main.Path != Module {
			buildErr = fmt.Errorf("%s is %s, not %s", buildRes.path, info.Main.Path, Module)
			return
		}
		buildRes.version = info.Main.Version
		out, err = exec.Command(goBin, "list", "-m", "-f", "{{.Dir}}", Module).Output()
		if err != nil {
			buildErr = fmt.Errorf("go list -m %s: %v%s", Module, err, stderrOf(err))
			return
		}
		buildRes.moduleDir = strings.TrimSpace(string(out))
	})
	return buildRes, buildErr
}

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return ": " + strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}

// writeFixtures writes the bundled fixtures with the overrides merged in.
func writeFixtures(dir, moduleDir string, over map[string]map[string]any) (string, error) {
	raw, err := os.ReadFile(filepath.Join(moduleDir, "embedded", "openapi", "fixtures3.json"))
	if err != nil {
		return "", fmt.Errorf("bundled fixtures: %w", err)
	}
	var f struct {
		Resources map[string]map[string]any `json:"resources"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return "", fmt.Errorf("bundled fixtures: %w", err)
	}
	for name, fields := range over {
		res, ok := f.Resources[name]
		if !ok {
			return "", fmt.Errorf("the bundled fixtures have no %q", name)
		}
		for k, v := range fields {
			res[k] = v
		}
	}
	out, err := json.Marshal(f)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "fixtures.json")
	return path, os.WriteFile(path, out, 0o600)
}

const listenPrefix = "Listening for HTTP at address: "

func start(b built, args []string) (*Server, error) {
	s := &Server{version: b.version, done: make(chan struct{})}
	cmd := exec.Command(b.path, args...)
	setParentDeathSignal(cmd)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", b.path, err)
	}
	s.cmd = cmd
	go func() {
		cmd.Wait()
		pw.Close()
		close(s.done)
	}()

	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			s.logMu.Lock()
			s.log.WriteString(line + "\n")
			s.logMu.Unlock()
			if a, ok := strings.CutPrefix(line, listenPrefix); ok {
				select {
				case addr <- a:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()

	// Loading the 8 MB specification takes a second or two.
	deadline := time.After(60 * time.Second)
	select {
	case a := <-addr:
		s.url = "http://" + a
	case <-s.done:
		return nil, fmt.Errorf("stripe-mock exited at start: %s\n%s", cmd.ProcessState, s.Log())
	case <-deadline:
		s.stop()
		return nil, fmt.Errorf("stripe-mock did not listen within 60 s:\n%s", s.Log())
	}
	if err := s.waitAnswers(deadline); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// waitAnswers asks for the balance until the mock answers 200.
func (s *Server) waitAnswers(deadline <-chan time.Time) error {
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, s.url+"/v1/balance", nil)
		req.Header.Set("Authorization", "Bearer "+APIKey)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		select {
		case <-s.done:
			return fmt.Errorf("stripe-mock exited: %s\n%s", s.cmd.ProcessState, s.Log())
		case <-deadline:
			return fmt.Errorf("stripe-mock at %s does not answer: %v\n%s", s.url, err, s.Log())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Server) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
	}
	<-s.done
}
