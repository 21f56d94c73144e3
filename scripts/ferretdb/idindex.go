package main

// FerretDB 1.24 on SQLite gives every collection a unique index on `_ferretdb_sjson->"_id"` (it quotes field
// names as identifiers, which SQLite reads as the string '_id'), but looks a document up by
// `_ferretdb_sjson->'$._id'`. SQLite uses an index on an expression only for that same expression, so every
// find, update and delete by _id scanned its whole table: a keyed read of a collection of 4,000 took three
// times as long as one of 100 (bench/RESULTS.md, "FerretDB's _id lookups"). MongoDB, which production runs,
// serves those reads from the _id index.
//
// idIndexes gives each collection's table a second index, on the expression the lookups use. FerretDB does
// not know of it: it is not listed by listIndexes, costs one more index write per insert, and goes with its
// table when the collection or the database is dropped. FerretDB's own unique index still enforces _id.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
)

// How often new collections are looked for. A collection created since the last pass is read by a scan
// until the next one: harmless for a table that young.
const idIndexEvery = 200 * time.Millisecond

// The collections whose table has no lookup index yet, by FerretDB's own list of its tables.
const missingIndexes = `SELECT c.table_name FROM _ferretdb_collections c WHERE NOT EXISTS (
  SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || '_tend_id_lookup')`

// sqliteDir is the folder of --sqlite-url (`file:data/?_pragma=...`): FerretDB keeps a file per database there.
func sqliteDir(sqliteURL string) (string, error) {
	parsed, err := url.Parse(sqliteURL)
	if err != nil || parsed.Scheme != "file" {
		return "", fmt.Errorf("--sqlite-url must be a file: URI, got %q", sqliteURL)
	}
	dir := parsed.Opaque
	if dir == "" {
		dir = parsed.Path
	}
	return dir, nil
}

// fileState is what a database file and its write-ahead log looked like: a collection made since changes it.
type fileState struct {
	size, walSize         int64
	modified, walModified int64 // nanoseconds: a plain number compares with ==, a time.Time need not
}

func stateOf(file string) (fileState, error) {
	main, err := os.Stat(file)
	if err != nil {
		return fileState{}, err
	}
	state := fileState{size: main.Size(), modified: main.ModTime().UnixNano()}
	if wal, err := os.Stat(file + "-wal"); err == nil {
		state.walSize, state.walModified = wal.Size(), wal.ModTime().UnixNano()
	}
	return state, nil
}

// keepIDIndexes indexes every collection's table in dir until ctx ends. A file is opened again only when it
// or its log has changed since every table in it had its index: an idle database costs a stat per pass.
func keepIDIndexes(ctx context.Context, dir string, logger *slog.Logger) {
	ticker := time.NewTicker(idIndexEvery)
	defer ticker.Stop()
	indexed := map[string]fileState{}
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		present := map[string]bool{}
		for _, file := range files {
			present[file] = true
			// Read before the check, so that a collection made during it changes the state seen next time.
			state, err := stateOf(file)
			if err != nil || indexed[file] == state {
				continue
			}
			if err := indexFile(ctx, file); err != nil {
				delete(indexed, file)
				if ctx.Err() == nil {
					logger.Debug("ferretdb: _id lookup index not made yet", "file", file, "error", err)
				}
				continue
			}
			indexed[file] = state
		}
		for file := range indexed {
			if !present[file] {
				delete(indexed, file)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// indexFile indexes the tables of one database file that have no lookup index yet. The connection lives for
// this pass only, and in persistent-WAL mode: FerretDB deletes a dropped database's files, and a connection
// that outlived them and was the last to close would otherwise delete the WAL of a database made since under
// the same name.
func indexFile(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(driverConn any) error {
		control, ok := driverConn.(sqlite.FileControl)
		if !ok {
			return errors.New("the SQLite driver offers no file control")
		}
		_, err := control.FileControlPersistWAL("main", 1)
		return err
	})
	if err != nil {
		return err
	}

	rows, err := conn.QueryContext(ctx, missingIndexes)
	if err != nil {
		return err // a file FerretDB has only just made has no _ferretdb_collections yet
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	for _, table := range tables {
		quoted := strings.ReplaceAll(table, `"`, `""`)
		statement := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s_tend_id_lookup" ON "%s" (_ferretdb_sjson->'$._id')`, quoted, quoted)
		if _, err := conn.ExecContext(ctx, statement); err != nil {
			return err
		}
	}
	return nil
}
