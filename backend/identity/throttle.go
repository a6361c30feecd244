package identity

import (
	"crypto/sha256"
	"net"
	"sync"
	"time"
)

// Throttle slows down password guessing. Failures are counted per key (an account from
// one address, an account from anywhere, a client address); once a key passes its
// threshold, further attempts on that key are refused for a delay that doubles with each
// failure, up to a ceiling. Keys are independent, so an attacker hammering one account
// does not lock out another.
//
// Memory is bounded whatever arrives: keys are stored as fixed-size digests (a megabyte
// of "email" costs 16 bytes), and past MaxEntries the entries that block nobody are
// dropped first. An attacker cannot use that to forget a blocked key: blocking entries are
// kept, and the per-address key limits how fast one address can create new keys.
type Throttle struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[throttleKey]*throttleEntry
	// Forget is how long after the last failure a key's count is forgotten.
	Forget time.Duration
	Base   time.Duration
	Max    time.Duration
	// MaxEntries bounds the keys kept in memory.
	MaxEntries int
}

type throttleKey [16]byte

func keyOf(s string) throttleKey {
	sum := sha256.Sum256([]byte(s))
	var k throttleKey
	copy(k[:], sum[:])
	return k
}

type throttleEntry struct {
	fails int
	last  time.Time
	until time.Time
}

// NewThrottle returns a throttle using now as its clock.
func NewThrottle(now func() time.Time) *Throttle {
	return &Throttle{now: now, entries: map[throttleKey]*throttleEntry{}, Forget: 15 * time.Minute,
		Base: 30 * time.Second, Max: 15 * time.Minute, MaxEntries: 50_000}
}

func (t *Throttle) expired(e *throttleEntry, now time.Time) bool {
	return now.Sub(e.last) > t.Forget && now.After(e.until)
}

// Wait returns how long the caller must wait before trying any of keys again (0: go on).
func (t *Throttle) Wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, s := range keys {
		k := keyOf(s)
		e := t.entries[k]
		if e == nil {
			continue
		}
		if t.expired(e, now) {
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
	t.failLocked(keyOf(key), threshold, t.now())
}

func (t *Throttle) failLocked(k throttleKey, threshold int, now time.Time) {
	e := t.entries[k]
	if e == nil || t.expired(e, now) {
		t.makeRoomLocked(now)
		e = &throttleEntry{}
		t.entries[k] = e
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
}

// makeRoomLocked keeps the map under MaxEntries: expired entries go first, then entries
// that are not blocking anyone (they only count failures below a threshold). Entries that
// block stay, so flooding the throttle with new keys never unblocks a guessed account.
func (t *Throttle) makeRoomLocked(now time.Time) {
	if len(t.entries) < t.MaxEntries {
		return
	}
	for k, e := range t.entries {
		if t.expired(e, now) {
			delete(t.entries, k)
		}
	}
	target := t.MaxEntries * 9 / 10
	for k, e := range t.entries {
		if len(t.entries) <= target {
			return
		}
		if !e.until.After(now) {
			delete(t.entries, k)
		}
	}
}

// Len is how many keys the throttle holds (for tests of its memory bound).
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// Succeed forgets key's failures.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, keyOf(key))
}

// Limit is one key an attempt is charged to, and the failures it allows before delays.
// Clear says whether a success forgets the key (the account from this address) or only
// refunds this attempt (an address, an account across addresses).
type Limit struct {
	Key       string
	Threshold int
	Clear     bool
}

// Attempt checks and charges one attempt on every limit at once, before the password is
// verified, so a burst of parallel guesses cannot all pass a check that only counts
// failures afterwards. It returns how long to wait (0: go on) and, when the attempt may
// go on, a function to call with its outcome.
func (t *Throttle) Attempt(limits []Limit) (time.Duration, func(success bool)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	keys := make([]throttleKey, len(limits))
	var wait time.Duration
	for i, l := range limits {
		keys[i] = keyOf(l.Key)
		if e := t.entries[keys[i]]; e != nil && !t.expired(e, now) {
			if d := e.until.Sub(now); d > wait {
				wait = d
			}
		}
	}
	if wait > 0 {
		return wait, nil
	}
	for i, l := range limits {
		t.failLocked(keys[i], l.Threshold, now)
	}
	return 0, func(success bool) {
		if !success {
			return
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		for i, l := range limits {
			e := t.entries[keys[i]]
			switch {
			case e == nil:
			case l.Clear:
				delete(t.entries, keys[i])
			case e.fails > 0:
				e.fails--
				if e.fails < l.Threshold {
					e.until = time.Time{}
				}
			}
		}
	}
}

// addressClass groups client addresses the way one attacker holds them: an IPv4 address,
// or an IPv6 /64 (one host usually owns a whole /64).
func addressClass(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// networkClass groups addresses by the network one attacker can hold whole: an IPv4 /24,
// or an IPv6 /48 (what a site is usually given). Unauthenticated state that anyone can
// create (Google sign-ins in progress) is bounded per network.
func networkClass(addr string) string {
	ip := net.ParseIP(addr)
	switch {
	case ip == nil:
		return addr
	case ip.To4() != nil:
		return ip.Mask(net.CIDRMask(24, 32)).String() + "/24"
	}
	return ip.Mask(net.CIDRMask(48, 128)).String() + "/48"
}
