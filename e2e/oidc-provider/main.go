// Command oidc-provider runs the test OpenID Connect provider of backend/testkit/oidcprovider
// on 127.0.0.1 for the browser tests (e2e/google.test.mjs): a person "signs in to Google"
// by typing an email address and a name into its page. It prints one line,
// "issuer http://127.0.0.1:PORT", once it is ready, and runs until it gets SIGTERM.
//
// Test support only: it signs anything for anyone.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"gatehouse/backend/testkit/oidcprovider"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (loopback)")
	clientID := flag.String("client-id", "", "the only client ID accepted")
	clientSecret := flag.String("client-secret", "", "that client's secret")
	flag.Parse()
	if *clientID == "" || *clientSecret == "" {
		fmt.Fprintln(os.Stderr, "oidc-provider: --client-id and --client-secret are required")
		os.Exit(2)
	}
	s := &oidcprovider.Server{ClientID: *clientID, ClientSecret: *clientSecret}
	if err := s.Start(*addr); err != nil {
		fmt.Fprintln(os.Stderr, "oidc-provider:", err)
		os.Exit(1)
	}
	fmt.Println("issuer", s.URL())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	s.Close()
}
