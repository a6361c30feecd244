package testkit

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
)

// Browser is a client with its own cookies that does not follow redirects, for flows that
// go through a browser (Google sign-in): each step's answer, redirects included, is
// checked against the contract when it is an /api request of this backend.
type Browser struct {
	env    *Env
	client *http.Client
}

// Browser returns a new browser with an empty cookie jar.
func (e *Env) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{env: e, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Get requests rawURL (absolute, or a path of this backend) and returns the answer.
func (b *Browser) Get(rawURL string) *Resp {
	b.env.T.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		b.env.T.Fatal(err)
	}
	own, _ := url.Parse(b.env.Server.URL)
	if !u.IsAbs() {
		u = own.ResolveReference(u)
	}
	req, err := http.NewRequest("GET", u.String(), nil)
	if err != nil {
		b.env.T.Fatal(err)
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.env.T.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	r := &Resp{Status: res.StatusCode, Header: res.Header, Body: body}
	if u.Host == own.Host {
		b.env.checkContract(req, nil, r, true)
	}
	return r
}
