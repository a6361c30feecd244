// Command stripe-mock runs Stripe's own stripe-mock for the browser end-to-end tests
// (backend/testkit/stripemock), its Checkout Sessions answering as paid: -amount (minor
// units) in -currency, so that a client's return from "Stripe" finds the payment made.
// stripe-mock keeps no state, so the amount is the test's to choose before it starts.
//
// It prints "stripe-mock http://127.0.0.1:PORT" when ready and runs until SIGTERM.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"gatehouse/backend/testkit/stripemock"
)

func main() {
	amount := flag.Int64("amount", 0, "what a Checkout Session was paid, in minor units")
	currency := flag.String("currency", "eur", "its currency")
	flag.Parse()
	dir, err := os.MkdirTemp("", "stripe-mock-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s, err := stripemock.Run(dir, stripemock.Options{Fixtures: map[string]map[string]any{
		"checkout.session": {"status": "complete", "payment_status": "paid", "amount_total": *amount, "currency": *currency},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("stripe-mock %s\n", s.URL())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	s.Stop()
}
