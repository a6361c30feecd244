package store_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/backend/store"
)

// crashEnv names the database a child process is to crash in, halfway through sending an
// invoice (see TestInvoiceNumbersSurviveACrashMidSending).
const crashEnv = "GATEHOUSE_TEST_CRASH_DB"

// The numbering survives a crash mid-creation: a process takes the next invoice number and
// writes the invoice as sent, then dies before its transaction commits (os.Exit, no
// rollback, the WAL left as it is). Opened again, the invoice is still a draft and the
// number was not used: the next invoice sent takes 1, so numbers have no gaps.
func TestInvoiceNumbersSurviveACrashMidSending(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashMidSending(path)
		return
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := st.CreateCompany(ctx, &store.Company{ID: "co", Name: "Acme", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	inv := &store.Invoice{ID: "inv", CompanyID: "co", Currency: "EUR", State: "draft", CreatedAt: now, UpdatedAt: now,
		Lines: []store.InvoiceLine{{Description: "Work", QuantityMilli: 1000, UnitPrice: 100}}, Total: 100}
	if err := st.CreateInvoice(ctx, inv); err != nil {
		t.Fatal(err)
	}
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run", "^TestInvoiceNumbersSurviveACrashMidSending$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 3 {
		t.Fatalf("the child did not crash where it should (exit %d, %v): %s", code, err, out)
	}

	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Invoice(ctx, "inv")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != "draft" || got.Number != "" {
		t.Fatalf("after the crash the invoice is %s %q, want a draft without a number", got.State, got.Number)
	}
	err = st.RunInTx(ctx, func(tx *store.Store) error {
		n, err := tx.NextInvoiceNumber(ctx, 2026)
		if err == nil && n != 1 {
			t.Errorf("the next number after the crash is %d, want 1 (no gap)", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// crashMidSending runs in the child: it sends the invoice inside a transaction and exits
// with code 3 before the transaction ends.
func crashMidSending(path string) {
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		os.Exit(1)
	}
	st.RunInTx(ctx, func(tx *store.Store) error {
		n, err := tx.NextInvoiceNumber(ctx, 2026)
		if err != nil || n != 1 {
			os.Exit(2)
		}
		inv, err := tx.Invoice(ctx, "inv")
		if err != nil {
			os.Exit(2)
		}
		now := time.Now()
		inv.State, inv.Number, inv.SentAt = "sent", "2026-0001", &now
		if err := tx.UpdateInvoice(ctx, inv); err != nil {
			os.Exit(2)
		}
		os.Exit(3) // the crash: no commit, no rollback
		return nil
	})
	os.Exit(1)
}
