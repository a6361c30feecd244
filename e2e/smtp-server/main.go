// Command smtp-server is the end-to-end tests' mail server: a real SMTP server on
// 127.0.0.1 (backend/testkit/smtpserver, plain SMTP) plus a small HTTP API on another
// loopback port to read what it delivered and to take it down and up again.
//
//	GET  /messages  → [{from, to, subject, body}]
//	POST /stop      → SMTP refuses connections (a mail server that is down)
//	POST /start     → SMTP accepts again, on the same port
//
// It prints "smtp 127.0.0.1:PORT http http://127.0.0.1:PORT" when ready.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"

	"gatehouse/backend/testkit/smtpserver"
)

func main() {
	srv, err := smtpserver.Start(smtpserver.Options{})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /messages", func(w http.ResponseWriter, r *http.Request) {
		type msg struct {
			From    string   `json:"from"`
			To      []string `json:"to"`
			Subject string   `json:"subject"`
			Body    string   `json:"body"`
		}
		out := []msg{}
		for _, m := range srv.Messages() {
			out = append(out, msg{m.From, m.To, m.Subject, m.Body})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("POST /stop", func(w http.ResponseWriter, r *http.Request) { srv.Stop() })
	mux.HandleFunc("POST /start", func(w http.ResponseWriter, r *http.Request) {
		if err := srv.Restart(); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("smtp %s http http://%s\n", srv.Addr(), ln.Addr())
	log.Fatal(http.Serve(ln, mux))
}
