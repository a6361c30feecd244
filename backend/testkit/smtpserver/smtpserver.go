// Package smtpserver is a real SMTP server on 127.0.0.1 for tests
// (github.com/emersion/go-smtp): it keeps the messages it accepts so a test can read what
// was delivered, offers STARTTLS (or implicit TLS) with a self-signed certificate made at
// start, optionally requires a user name and password, and can be stopped and started
// again on the same port to play a mail server that is down.
package smtpserver

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options choose how the server talks.
type Options struct {
	// TLS offers STARTTLS with a self-signed certificate (or, with Implicit, speaks TLS
	// from the first byte).
	TLS, Implicit bool
	// User and Password, when set, are required (AUTH PLAIN, only over TLS).
	User, Password string
	// Addr to listen on (default 127.0.0.1:0, a free port).
	Addr string
	// HangUpAfterData closes the connection right after accepting a mail, so the
	// client's next command (RSET, QUIT) fails although the mail was delivered.
	HangUpAfterData bool
}

// Message is one accepted mail.
type Message struct {
	From    string
	To      []string
	Subject string
	Body    string // the text, decoded
	Raw     string
	At      time.Time
}

// Server is a running server.
type Server struct {
	opts  Options
	Host  string
	Port  int
	Roots *x509.CertPool // trusts the server's certificate
	tls   *tls.Config

	mu     sync.Mutex
	msgs   []Message
	srv    *smtp.Server
	reject string // when set, RCPT is refused with this 550 text
	notify chan struct{}
}

// Start starts a server.
func Start(o Options) (*Server, error) {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	s := &Server{opts: o, notify: make(chan struct{}, 1)}
	if o.TLS {
		cfg, roots, err := selfSigned()
		if err != nil {
			return nil, err
		}
		s.tls, s.Roots = cfg, roots
	}
	ln, err := s.listen(o.Addr)
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.Host, s.Port = addr.IP.String(), addr.Port
	s.serve(ln)
	return s, nil
}

func (s *Server) listen(addr string) (net.Listener, error) {
	if s.opts.Implicit {
		return tls.Listen("tcp", addr, s.tls)
	}
	return net.Listen("tcp", addr)
}

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, conn: c}, nil }))
	srv.Domain = "localhost"
	srv.TLSConfig = s.tls
	if !s.opts.TLS {
		srv.AllowInsecureAuth = true
	}
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = discard{}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(ln)
}

type discard struct{}

func (discard) Printf(string, ...interface{}) {}
func (discard) Println(...interface{})        {}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, fmt.Sprint(s.Port)) }

// Stop stops listening (the port is then refused: a mail server that is down).
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Restart listens again on the same port.
func (s *Server) Restart() error {
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the old socket may linger a moment
		if ln, err = s.listen(s.Addr()); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	s.serve(ln)
	return nil
}

// Running reports whether the server listens.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srv != nil
}

// Reject makes the server refuse every recipient with a permanent 550 and text ("" to
// accept again).
func (s *Server) Reject(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = text
}

// Messages returns what was delivered, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait waits until at least n messages were delivered, or timeout.
func (s *Server) Wait(n int, timeout time.Duration) ([]Message, error) {
	deadline := time.After(timeout)
	for {
		if m := s.Messages(); len(m) >= n {
			return m, nil
		}
		select {
		case <-s.notify:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			return s.Messages(), fmt.Errorf("smtpserver: %d of %d messages after %v", len(s.Messages()), n, timeout)
		}
	}
}

type session struct {
	s         *Server
	conn      *smtp.Conn
	authed    bool
	from      string
	to        []string
	delivered bool
}

func (se *session) AuthMechanisms() []string {
	if se.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != se.s.opts.User || pass != se.s.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		se.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.opts.User != "" && !se.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	if se.s.opts.TLS && !se.s.opts.Implicit {
		if _, ok := se.conn.TLSConnectionState(); !ok {
			return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Must issue a STARTTLS command first"}
		}
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.s.mu.Lock()
	reject := se.s.reject
	se.s.mu.Unlock()
	if reject != "" {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: reject}
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: se.from, To: se.to, Raw: string(raw), At: time.Now()}
	if pm, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		dec := new(mime.WordDecoder)
		if subj, err := dec.DecodeHeader(pm.Header.Get("Subject")); err == nil {
			m.Subject = subj
		}
		body, _ := io.ReadAll(pm.Body)
		if strings.EqualFold(pm.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			if d, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body))); err == nil {
				body = d
			}
		}
		m.Body = strings.ReplaceAll(string(body), "\r\n", "\n")
	}
	se.s.mu.Lock()
	se.s.msgs = append(se.s.msgs, m)
	se.s.mu.Unlock()
	se.delivered = true
	select {
	case se.s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (se *session) Reset() {
	se.from, se.to = "", nil
	if se.delivered && se.s.opts.HangUpAfterData {
		// The network connection itself: the answer to DATA is out already (closing the
		// smtp.Conn here, inside its own handler, would wait on its own lock).
		se.conn.Conn().Close()
	}
}
func (se *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool that trusts it.
func selfSigned() (*tls.Config, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "gatehouse test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	if pool == nil {
		return nil, nil, errors.New("smtpserver: no pool")
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}, pool, nil
}

// Reset forgets the messages delivered so far.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = nil
}
