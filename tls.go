package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// TLS for `gatehouse serve`. On the machine itself (loopback) plain HTTP is fine: nothing
// crosses a network. Bound to any other address, passwords and session tokens would cross
// the office network in clear, so serve needs a certificate — the owner's own
// (--tls-cert/--tls-key) or one it makes once and keeps in the data folder
// (--tls-self-signed), whose fingerprint it prints so colleagues can check what their
// browser shows — unless plain HTTP is asked for by name (--insecure-http).

type tlsFlags struct {
	cert, key    string
	selfSigned   bool
	insecureHTTP bool
}

// errTLSUsage is a wrong combination of the TLS flags (exit status 2).
type errTLSUsage struct{ msg string }

func (e *errTLSUsage) Error() string { return e.msg }

// loopbackAddr reports whether addr (host:port) listens on this machine only.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tlsConfig decides how serve listens on addr: a *tls.Config, or nil for plain HTTP. The
// self-signed certificate lives in dataDir/tls; its fingerprint is returned to print.
func (f tlsFlags) config(addr, dataDir string) (cfg *tls.Config, fingerprint string, err error) {
	if (f.cert == "") != (f.key == "") {
		return nil, "", &errTLSUsage{"--tls-cert and --tls-key go together: give both files (the certificate and its private key)"}
	}
	if f.selfSigned && f.cert != "" {
		return nil, "", &errTLSUsage{"choose one: your certificate (--tls-cert/--tls-key) or one Gatehouse makes (--tls-self-signed)"}
	}
	useTLS := f.cert != "" || f.selfSigned
	if useTLS && f.insecureHTTP {
		return nil, "", &errTLSUsage{"--insecure-http serves without TLS: leave it out when giving a certificate"}
	}
	if !useTLS {
		if !loopbackAddr(addr) && !f.insecureHTTP {
			return nil, "", &errTLSUsage{fmt.Sprintf("serving to the network (%s) needs TLS, or passwords and sessions cross it in clear. "+
				"Pass --tls-cert FILE --tls-key FILE (your certificate), or --tls-self-signed (Gatehouse makes one and prints its fingerprint "+
				"for colleagues to check), or --insecure-http to serve plain HTTP anyway", addr)}
		}
		return nil, "", nil
	}
	certFile, keyFile := f.cert, f.key
	if f.selfSigned {
		if certFile, keyFile, err = selfSigned(filepath.Join(dataDir, "tls"), time.Now()); err != nil {
			return nil, "", err
		}
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, "", fmt.Errorf("cannot use the certificate %s with the key %s: %w", certFile, keyFile, err)
	}
	sum := sha256.Sum256(pair.Certificate[0])
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{pair}}, colonHex(sum[:]), nil
}

func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02X", c)
	}
	return strings.Join(parts, ":")
}

// selfSigned returns the files of the data folder's own certificate, making it the first
// time (and again once it expires): ECDSA P-256, valid two years, for this machine's name,
// localhost and every address it has now. The key is readable by its owner only.
func selfSigned(dir string, now time.Time) (certFile, keyFile string, err error) {
	certFile, keyFile = filepath.Join(dir, "self-signed.crt"), filepath.Join(dir, "self-signed.key")
	if pair, err := tls.LoadX509KeyPair(certFile, keyFile); err == nil {
		if c, err := x509.ParseCertificate(pair.Certificate[0]); err == nil && now.Before(c.NotAfter.Add(-24*time.Hour)) {
			return certFile, keyFile, nil
		}
	} else if _, statErr := os.Stat(certFile); statErr == nil {
		return "", "", fmt.Errorf("the certificate in %s cannot be read (%v): remove the folder to make a new one", dir, err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return "", "", err
	}
	host, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "Gatehouse on " + host, Organization: []string{"Gatehouse (self-signed)"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(2, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if host != "" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ipn.IP)
			}
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	if err := writeNew(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return "", "", err
	}
	if err := writeNew(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return "", "", err
	}
	return certFile, keyFile, nil
}

// writeNew writes b to path through a temporary file renamed over it.
func writeNew(path string, b []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, mode); err != nil {
		return err
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return err
	}
	return errors.Join(os.Rename(tmp, path))
}
