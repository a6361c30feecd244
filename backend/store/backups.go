package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// BackupSettings is Settings → Backups, with how the last automatic backup went.
type BackupSettings struct {
	Folder    string
	Automatic bool
	LastAt    *time.Time
	LastFile  string
	LastError string
}

// BackupSettings returns Settings → Backups.
func (s *Store) BackupSettings(ctx context.Context) (*BackupSettings, error) {
	var b BackupSettings
	var last string
	err := s.q.QueryRowContext(ctx, `SELECT folder, automatic, last_at, last_file, last_error FROM backup_settings WHERE id = 1`).
		Scan(&b.Folder, &b.Automatic, &last, &b.LastFile, &b.LastError)
	if err != nil {
		return nil, fmt.Errorf("store: backup settings: %w", err)
	}
	b.LastAt = nullTime(sql.NullString{String: last, Valid: true})
	return &b, nil
}

// UpdateBackupSettings writes the folder and whether backups are automatic.
func (s *Store) UpdateBackupSettings(ctx context.Context, folder string, automatic bool, at time.Time) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE backup_settings SET folder = ?, automatic = ?, updated_at = ? WHERE id = 1`,
		folder, automatic, formatTime(at)); err != nil {
		return fmt.Errorf("store: update backup settings: %w", err)
	}
	return nil
}

// RecordBackup records how an automatic backup went: its file, or why it failed.
func (s *Store) RecordBackup(ctx context.Context, at time.Time, file, failure string) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE backup_settings SET last_at = ?, last_file = ?, last_error = ? WHERE id = 1`,
		formatTime(at), file, failure); err != nil {
		return fmt.Errorf("store: record backup: %w", err)
	}
	return nil
}
