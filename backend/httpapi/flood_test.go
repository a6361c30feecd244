package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gatehouse/backend/testkit"
)

// peakMeter reads this process's resident memory and its high-water mark (Linux), after
// resetting the mark, so a flood's peak is measured and not only what stays afterwards.
type peakMeter struct {
	t    *testing.T
	base uint64
}

func startPeak(t *testing.T) *peakMeter {
	t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the memory high-water mark: %v", err)
	}
	return &peakMeter{t: t, base: statusKB(t, "VmRSS:")}
}

func statusKB(t *testing.T, field string) uint64 {
	t.Helper()
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			n, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// check fails the test when the peak rose 100 MB or more above the start.
func (m *peakMeter) check(what string) {
	m.t.Helper()
	peak := statusKB(m.t, "VmHWM:")
	grew := int64(peak) - int64(m.base)
	m.t.Logf("%s: resident %d MiB before, peak %d MiB (%+d MiB)", what, m.base>>20, peak>>20, grew>>20)
	if grew >= 100<<20 {
		m.t.Errorf("%s: memory peaked %d MiB above its start (limit 100 MB)", what, grew>>20)
	}
}

// parallel runs n calls of f on k goroutines.
func parallel(n, k int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// The floods of the security review's findings 3–5, measured by this process's peak
// resident memory (the server runs in it): each must stay under +100 MB.
func TestFloodsStayUnder100MB(t *testing.T) {
	t.Run("sign-ins with unique 1000 KiB emails from 15 addresses", func(t *testing.T) {
		env := testkit.Start(t)
		env.Setup()
		m := startPeak(t)
		// One padding shared by every request's body: the peak is the server's, not the
		// test's own copies of 600 one-megabyte bodies.
		pad := []byte(strings.Repeat("a", 1000*1024))
		var mu sync.Mutex
		parallel(600, 15, func(i int) {
			mu.Lock()
			env.Remote = fmt.Sprintf("127.0.0.%d", 10+i%15)
			mu.Unlock()
			body := io.MultiReader(strings.NewReader(fmt.Sprintf(`{"email":"%d`, i)), bytes.NewReader(pad),
				strings.NewReader(`@example.com","password":"guess"}`))
			rawDo(env, "POST", "/api/sessions", "", body)
		})
		m.check("600 sign-ins with 1000 KiB emails")
		if n := env.Core.Identity.Throttle().Len(); n > 100 {
			t.Errorf("the throttle holds %d keys after refused over-long emails", n)
		}
	})
	t.Run("Google starts and junk callbacks from one address", func(t *testing.T) {
		g := startGoogle(t)
		m := startPeak(t)
		g.Remote = "127.0.0.9"
		parallel(2000, 8, func(i int) { rawDo(g.Env, "GET", "/api/auth/google/start", "", nil) })
		parallel(5000, 8, func(i int) {
			rawDo(g.Env, "GET", fmt.Sprintf("/api/auth/google/callback?state=junk%d&code=x", i), "", nil)
		})
		m.check("2,000 starts and 5,000 junk callbacks")
	})
	t.Run("parallel password checks", func(t *testing.T) {
		env := testkit.Start(t)
		owner := env.Setup()
		env.CreateUser(owner, "Paula Guessed", "paula@example.com", "staff", initialPW)
		tok := env.SignInFresh("paula@example.com", initialPW, ownPW)
		m := startPeak(t)
		parallel(40, 40, func(i int) {
			rawDo(env, "POST", "/api/me/password", tok, map[string]string{"current": fmt.Sprintf("guess %d", i), "new": "a brand new passphrase 9"})
		})
		m.check("40 parallel password changes with a wrong current password")
		// Every sign-in from a different address for a different account: none is
		// throttled, so each is hashed; the hashing bound keeps memory flat.
		m = startPeak(t)
		var mu sync.Mutex
		parallel(120, 60, func(i int) {
			mu.Lock()
			env.Remote = fmt.Sprintf("127.0.%d.%d", 3+i/200, 1+i%200)
			mu.Unlock()
			rawDo(env, "POST", "/api/sessions", "", map[string]string{"email": fmt.Sprintf("person%d@example.com", i), "password": "a guess of theirs"})
		})
		m.check("120 sign-ins, 60 at a time, each hashed")
	})
}
