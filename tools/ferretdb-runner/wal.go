package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// SQLite in WAL mode checkpoints on its own after commits, but it can only truncate the WAL file
// when no reader is using it, and FerretDB's pool keeps connections reading; under sustained writes
// the WAL of one database grew to 500 MB and shrank only at a clean stop. boundWAL checkpoints
// every database on a timer and truncates its WAL when the readers allow it. The TRUNCATE
// checkpoint holds the writer lock while it waits for readers, so it waits at most busyMillis and
// otherwise leaves the truncation to the next tick (the PASSIVE pass before it has already copied
// the pages, so FerretDB's writers are never held for longer than that).
func boundWAL(ctx context.Context, dir string, every time.Duration, logger *slog.Logger) {
	const busyMillis = 50
	ticker := time.NewTicker(every)
	defer ticker.Stop()

	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}

		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			before := walSize(file)
			if before == 0 {
				continue
			}
			truncated, err := checkpoint(ctx, file, busyMillis)
			switch {
			case err != nil:
				logger.Warn("WAL checkpoint failed", "file", file, "error", err)
			case truncated:
				logger.Debug("WAL truncated", "file", file, "bytes", before)
			default:
				logger.Debug("WAL checkpoint deferred: readers busy", "file", file, "bytes", before)
			}
		}
	}
}

func walSize(file string) int64 {
	info, err := os.Stat(file + "-wal")
	if err != nil {
		return 0
	}
	return info.Size()
}

// checkpoint copies the WAL into the database and truncates it; false when readers kept it.
func checkpoint(ctx context.Context, file string, busyMillis int) (bool, error) {
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)", file, busyMillis))
	if err != nil {
		return false, err
	}
	defer db.Close()

	if _, err = db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
		return false, err
	}
	// Columns: busy (1 when the checkpoint could not finish), WAL frames, frames checkpointed.
	var busy, frames, done int
	if err = db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done); err != nil {
		return false, err
	}
	return busy == 0, nil
}
