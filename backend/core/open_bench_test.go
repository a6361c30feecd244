package core_test

import (
	"context"
	"path/filepath"
	"testing"

	"gatehouse/backend/store"
)

// BenchmarkOpenCheck: opening the data folder's database as the application does — its
// quick check (a damaged file is refused rather than served short), the migrations' look,
// the write probe — on the 10,000-user organisation, against building the index from it.
func BenchmarkOpenCheck(b *testing.B) {
	w := getWorld(b)
	ctx := context.Background()
	path := filepath.Join(w.dir, "gatehouse.db")
	for b.Loop() {
		st, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/open")
}
