// Command ferretdb-embedded runs FerretDB, a MongoDB-wire server on SQLite (the default) or on PostgreSQL
// (`--handler postgresql`), for Tend's dev stack, tests and benchmarks.
//
// It exists because `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics
// at start: the module as published lacks the build/version/version.txt that its own main package insists on.
// FerretDB's embeddable package skips that check, so this launcher wraps it with the few flags Tend needs.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URI, with a trailing slash")
	handler := flag.String("handler", "sqlite", "storage backend: sqlite or postgresql")
	postgresqlURL := flag.String("postgresql-url", "", "PostgreSQL URL for --handler postgresql, e.g. postgres://127.0.0.1:5432/ferretdb")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	// Refused here rather than by FerretDB, so a typo fails with a line naming the flag instead of a stack of
	// backend errors; and a PostgreSQL handler without a URL would otherwise try FerretDB's own default.
	switch {
	case *handler != "sqlite" && *handler != "postgresql":
		fmt.Fprintf(os.Stderr, "ferretdb: --handler must be sqlite or postgresql, got %q\n", *handler)
		os.Exit(2)
	case *handler == "postgresql" && *postgresqlURL == "":
		fmt.Fprintln(os.Stderr, "ferretdb: --handler postgresql needs --postgresql-url")
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad --log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	db, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresqlURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *handler == "sqlite" {
		dir, err := sqliteDir(*sqliteURL)
		if err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
			os.Exit(2)
		}
		go keepIDIndexes(ctx, dir, logger)
	}

	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s\n", *listen)
	if err := db.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}
