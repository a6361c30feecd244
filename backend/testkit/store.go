package testkit

import (
	"context"

	"gatehouse/backend/store"
)

func openStore(path string) (*store.Store, error) { return store.Open(context.Background(), path) }
