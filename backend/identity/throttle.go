package identity

import (
	"sync"
	"time"
)

// Throttle slows down password guessing. Failures are counted per key (an account, or a
// client address); once a key passes its threshold, further attempts on that key are
// refused for a delay that doubles with each failure, up to a ceiling. Keys are
// independent, so an attacker hammering one account does not lock out another.
type Throttle struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[string]*throttleEntry
	// Forget is how long after the last failure a key's count is forgotten.
	Forget time.Duration
	Base   time.Duration
	Max    time.Duration
}

type throttleEntry struct {
	fails int
	last  time.Time
	until time.Time
}

// NewThrottle returns a throttle using now as its clock.
func NewThrottle(now func() time.Time) *Throttle {
	return &Throttle{now: now, entries: map[string]*throttleEntry{}, Forget: 15 * time.Minute,
		Base: 30 * time.Second, Max: 15 * time.Minute}
}

// Wait returns how long the caller must wait before trying any of keys again (0: go on).
func (t *Throttle) Wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range keys {
		e := t.entries[k]
		if e == nil {
			continue
		}
		if now.Sub(e.last) > t.Forget && now.After(e.until) {
			delete(t.entries, k)
			continue
		}
		if d := e.until.Sub(now); d > wait {
			wait = d
		}
	}
	return wait
}

// Fail records a failure on key; threshold failures are free, later ones start a delay.
func (t *Throttle) Fail(key string, threshold int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failLocked(key, threshold, t.now())
}

func (t *Throttle) failLocked(key string, threshold int, now time.Time) {
	e := t.entries[key]
	if e == nil || (now.Sub(e.last) > t.Forget && now.After(e.until)) {
		e = &throttleEntry{}
		t.entries[key] = e
	}
	e.fails++
	e.last = now
	if over := e.fails - threshold; over >= 0 {
		d := t.Base
		for i := 0; i < over && d < t.Max; i++ {
			d *= 2
		}
		e.until = now.Add(min(d, t.Max))
	}
	// Bound memory under a flood of distinct keys.
	if len(t.entries) > 100_000 {
		for k, old := range t.entries {
			if now.Sub(old.last) > t.Forget && now.After(old.until) {
				delete(t.entries, k)
			}
		}
	}
}

// Succeed forgets key's failures.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, key)
}

// Attempt checks and charges one attempt on every key at once, before the password is
// verified, so a burst of parallel guesses cannot all pass a check that only counts
// failures afterwards. It returns how long to wait (0: go on) and, when the attempt may
// go on, a function to call with its outcome: success clears the first key (the account)
// and refunds the others (an address's successful sign-ins are not held against it).
func (t *Throttle) Attempt(keys []string, thresholds []int) (time.Duration, func(success bool)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range keys {
		if e := t.entries[k]; e != nil && !(now.Sub(e.last) > t.Forget && now.After(e.until)) {
			if d := e.until.Sub(now); d > wait {
				wait = d
			}
		}
	}
	if wait > 0 {
		return wait, nil
	}
	for i, k := range keys {
		t.failLocked(k, thresholds[i], now)
	}
	return 0, func(success bool) {
		if !success {
			return
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		for i, k := range keys {
			if i == 0 {
				delete(t.entries, k)
			} else if e := t.entries[k]; e != nil && e.fails > 0 {
				e.fails--
				if e.fails < thresholds[i] {
					e.until = time.Time{}
				}
			}
		}
	}
}
