package testkit

import (
	"bytes"
	"encoding/json"
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
	return b.send("GET", rawURL, nil)
}

// PostJSON sends a JSON body to a path of this backend, with the browser's cookies, as
// the page in that browser does with fetch.
func (b *Browser) PostJSON(path string, body any) *Resp {
	b.env.T.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		b.env.T.Fatal(err)
	}
	return b.send("POST", path, raw)
}

func (b *Browser) send(method, rawURL string, body []byte) *Resp {
	b.env.T.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		b.env.T.Fatal(err)
	}
	own, _ := url.Parse(b.env.Server.URL)
	if !u.IsAbs() {
		u = own.ResolveReference(u)
	}
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		b.env.T.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.env.T.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	r := &Resp{Status: res.StatusCode, Header: res.Header, Body: out}
	if u.Host == own.Host {
		b.env.checkContract(req, body, r, true)
	}
	return r
}
