// Command ferretdb-runner runs FerretDB v1 (SQLite handler) for local development and tests.
// It embeds the ferretdb package because `go install` of FerretDB's own command builds a binary
// that panics at start (its version file is generated only at release time).
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "data", "directory for the SQLite databases (created if missing)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	// WAL with synchronous=NORMAL stays consistent after a crash of this process or of the apps and
	// skips an fsync per commit, which on a busy disk made every update tens of milliseconds; an
	// operating-system crash may lose the last commits. Production runs MongoDB, not this.
	idIndexes := flag.Bool("id-indexes", true, "add the _id expression index FerretDB's queries can use (see ids.go)")
	synchronous := flag.String("sqlite-synchronous", "normal", "SQLite synchronous pragma: full or normal")
	walEvery := flag.Duration("wal-checkpoint-interval", 5*time.Second, "how often to checkpoint and truncate each database's WAL (0: never; see wal.go)")
	// Where the store's CPU goes (the bench's BENCH_CPU_PROF=ferretdb sets FERRETDB_CPU_PROFILE): a Go CPU profile of
	// the whole life of the process, for `go tool pprof -top`. The SQLite engine is Go too, so its work shows.
	cpuProfile := flag.String("cpu-profile", os.Getenv("FERRETDB_CPU_PROFILE"), "write a Go CPU profile to this file until shutdown")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("invalid -log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		log.Fatalf("invalid -data-dir: %v", err)
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		log.Fatalf("cannot create data dir: %v", err)
	}
	// The SQLite handler treats the URL as a directory only when it ends with a slash.
	if !strings.HasSuffix(dir, "/") {
		dir += "/"
	}

	if *synchronous != "full" && *synchronous != "normal" {
		log.Fatalf("invalid -sqlite-synchronous %q: full or normal", *synchronous)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		log.Fatalf("cannot start FerretDB: %v", err)
	}

	if *idIndexes {
		go keepIDIndexes(ctx, dir, logger)
	}
	if *walEvery > 0 {
		go boundWAL(ctx, dir, *walEvery, logger)
	}

	if *cpuProfile != "" {
		out, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatalf("cannot create -cpu-profile: %v", err)
		}
		if err = pprof.StartCPUProfile(out); err != nil {
			log.Fatalf("cannot start the CPU profile: %v", err)
		}
		defer func() {
			pprof.StopCPUProfile()
			_ = out.Close()
		}()
	}

	logger.Info("FerretDB listening", "address", *listen, "data", dir)
	if err = f.Run(ctx); err != nil {
		log.Fatalf("FerretDB stopped: %v", err)
	}
}
