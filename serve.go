package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"gatehouse/backend/core"
	"gatehouse/backend/datadir"
	"gatehouse/backend/store"
)

// newServer returns the HTTP server for handler. Every phase of a request has a time
// limit: a client that trickles its headers or body (to hold a connection, or to finish a
// request long after it was authorised) is cut off, and idle connections are closed.
func newServer(handler http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
}

func cmdServe(args []string, stdout, stderr io.Writer, log *slog.Logger) int {
	fset := flag.NewFlagSet("gatehouse serve", flag.ContinueOnError)
	fset.SetOutput(stderr)
	addr := fset.String("addr", "127.0.0.1:8787", "address to listen on; 0.0.0.0:PORT opens it to the network")
	data := fset.String("data", "", "data folder (default: $"+datadir.EnvVar+" or the user config folder)")
	insecure := fset.Bool("insecure-file-secrets", false, insecureFileSecretsUsage)
	db := fset.String("db", os.Getenv("GATEHOUSE_DB"), "a PostgreSQL database (postgres://user:password@host/database) instead of the SQLite file in the data folder (default: $GATEHOUSE_DB)")
	stripeAPI := fset.String("stripe-api-url", "", "ask Stripe's API at this address instead of api.stripe.com (a local stripe-mock, for trials and tests)")
	var tf tlsFlags
	fset.StringVar(&tf.cert, "tls-cert", "", "serve HTTPS with this certificate (PEM; with --tls-key)")
	fset.StringVar(&tf.key, "tls-key", "", "the certificate's private key (PEM)")
	fset.BoolVar(&tf.selfSigned, "tls-self-signed", false, "serve HTTPS with a certificate Gatehouse makes once in the data folder (its fingerprint is printed for colleagues to check)")
	fset.BoolVar(&tf.insecureHTTP, "insecure-http", false, "serve plain HTTP on a network address (passwords and sessions cross the network in clear)")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if u, err := url.Parse(*stripeAPI); *stripeAPI != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		fmt.Fprintln(stderr, "gatehouse: --stripe-api-url is an http(s) address such as http://127.0.0.1:12111")
		return 2
	}
	if *db != "" && !store.IsPostgresURL(*db) {
		fmt.Fprintln(stderr, "gatehouse: --db is a PostgreSQL address such as postgres://gatehouse:PASSWORD@db.example.lan/gatehouse")
		return 2
	}
	dir, err := datadir.Resolve(*data)
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return 1
	}
	// Decided before the folder is opened: a refused combination changes nothing.
	tlsCfg, fingerprint, err := tf.config(*addr, dir)
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse serve:", err)
		var usage *errTLSUsage
		if errors.As(err, &usage) {
			return 2
		}
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	c, err := core.Open(ctx, dir, "serve", log, core.Options{InsecureFileSecrets: *insecure, StripeAPIURL: *stripeAPI, Database: *db})
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return exitCode(err)
	}
	defer c.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse: cannot listen on %s: %v\n", *addr, err)
		return 1
	}
	tcp := ln.Addr().(*net.TCPAddr)
	opts := core.HandlerOptions{Frontend: frontendFS()}
	if tcp.IP.IsLoopback() {
		// Only our own names are accepted, so a web page cannot reach this server through
		// DNS rebinding (it would arrive with its own host name).
		port := strconv.Itoa(tcp.Port)
		opts.AllowedHosts = []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port}
	} else {
		log.Warn("serving to the network: anyone who can reach this address can try to sign in", "addr", tcp.String())
		if tlsCfg == nil {
			fmt.Fprintln(stderr, "gatehouse serve: WARNING: plain HTTP on a network address (--insecure-http): passwords and sessions cross the network in clear.")
			log.Warn("serving plain HTTP to the network (--insecure-http)", "addr", tcp.String())
		}
	}
	srv := newServer(c.Handler(opts), log)
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsCfg)
	}
	url := scheme + "://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
	if !tcp.IP.IsUnspecified() {
		// Links in mails point here unless Settings → Email names an address; on every
		// interface, no one address is right for everyone, so none is guessed.
		c.Mail.ServedAt(url)
	}
	where := "data: " + dir
	if *db != "" {
		where = "database: " + store.RedactURL(*db) + ", files: " + dir
	}
	fmt.Fprintf(stdout, "Gatehouse is serving on %s (%s). Press Ctrl+C to stop.\n", url, where)
	if fingerprint != "" {
		fmt.Fprintf(stdout, "TLS certificate SHA-256 fingerprint: %s\n", fingerprint)
		if tf.selfSigned {
			fmt.Fprintln(stdout, "It is self-signed: colleagues' browsers warn about it once; they should accept it only if the fingerprint the browser shows is this one.")
		}
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "gatehouse:", err)
			return 1
		}
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx)
	}
	return 0
}
