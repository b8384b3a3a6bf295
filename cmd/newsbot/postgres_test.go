package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsbot/newsbot/internal/pgtest"
)

// TestPostgresCommandLine runs the command line against a shared PostgreSQL
// store from two data folders, as two machines would: what one ingests, the
// other finds, each answering from its own index.
func TestPostgresCommandLine(t *testing.T) {
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	cfg := writeFile(t, dir, "config.yaml", "store:\n  backend: postgres\n  dsn: \""+dsn+"\"\n")
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	in := writeFile(t, dir, "in/harbour.md", "# Harbour reopens in Portvale\n\nThe harbour in Portvale reopened on Tuesday after repairs.\n")

	// Before the schema exists, a command says what to run.
	if _, errOut, code := newsbot(t, "", "ingest", "--config", cfg, "--data", a, in); code == 0 || !strings.Contains(errOut, "newsbot migrate") {
		t.Fatalf("ingest before migrate: exit %d, %s", code, errOut)
	}
	steps := []struct {
		args       []string
		wantOut    string
		wantStderr string
	}{
		{[]string{"migrate", "--config", cfg}, "applied [1 2]", ""},
		{[]string{"migrate", "--config", cfg}, "nothing to do", ""},
		{[]string{"ingest", "--config", cfg, "--data", a, in}, "ingested 1, duplicates 0, failed 0", ""},
		// b has no index yet: it is built from the store.
		{[]string{"search", "--config", cfg, "--data", b, "Portvale harbour"}, "Harbour reopens in Portvale", "building the local index"},
		{[]string{"ingest", "--config", cfg, "--data", b, in}, "ingested 0, duplicates 1, failed 0", ""},
		{[]string{"ask", "--config", cfg, "--data", a, "When did the harbour in Portvale reopen?"}, "Tuesday", ""},
	}
	for _, st := range steps {
		out, errOut, code := newsbot(t, "", st.args...)
		if code != 0 || !strings.Contains(out, st.wantOut) || !strings.Contains(errOut, st.wantStderr) {
			t.Fatalf("newsbot %s: exit %d\nstdout: %s\nstderr: %s\nwant %q and %q", strings.Join(st.args, " "), code, out, errOut, st.wantOut, st.wantStderr)
		}
	}

	// Ingested through b, found through a: a catches up with the log.
	in2 := writeFile(t, dir, "in/ferry.md", "# Ferry to Islay resumes\n\nThe ferry to Islay resumed service on Monday after a week of storms.\n")
	if out, errOut, code := newsbot(t, "", "ingest", "--config", cfg, "--data", b, in2); code != 0 {
		t.Fatalf("ingest through b: %d %s %s", code, out, errOut)
	}
	if out, errOut, _ := newsbot(t, "", "search", "--config", cfg, "--data", a, "Islay ferry"); !strings.Contains(out, "Ferry to Islay resumes") || strings.Contains(errOut, "building") {
		t.Errorf("a did not catch up from the log (or rebuilt instead):\n%s\n%s", out, errOut)
	}

	// stats and export read the store.
	out, errOut, code := newsbot(t, "", "stats", "--config", cfg, "--data", a, "--json")
	var st struct {
		Articles int `json:"articles"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Articles != 2 {
		t.Errorf("stats: exit %d %s %s", code, out, errOut)
	}
	out, _, code = newsbot(t, "", "export", "--config", cfg, "--data", b)
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, "Islay") || !strings.Contains(out, "Portvale") {
		t.Errorf("export: exit %d\n%s", code, out)
	}

	// An index ahead of the database (the database restored from an older
	// backup) and a lost index are both rebuilt from the store.
	if err := os.WriteFile(filepath.Join(a, "index.logpos"), []byte(`{"database":"`+logDatabase(t, a)+`","seq":99999}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, _ = newsbot(t, "", "search", "--config", cfg, "--data", a, "Islay ferry")
	if !strings.Contains(errOut, "ahead of the database") || !strings.Contains(out, "Ferry to Islay resumes") {
		t.Errorf("index ahead of the store:\n%s\n%s", out, errOut)
	}
	if err := os.RemoveAll(filepath.Join(b, "index")); err != nil {
		t.Fatal(err)
	}
	out, errOut, _ = newsbot(t, "", "search", "--config", cfg, "--data", b, "Portvale")
	if !strings.Contains(errOut, "building the local index") || !strings.Contains(out, "Harbour reopens in Portvale") {
		t.Errorf("lost index:\n%s\n%s", out, errOut)
	}
	if out, errOut, code := newsbot(t, "", "reindex", "--config", cfg, "--data", b); code != 0 {
		t.Errorf("reindex: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, _ := newsbot(t, "", "search", "--config", cfg, "--data", b, "Islay"); !strings.Contains(out, "Ferry to Islay resumes") {
		t.Errorf("after reindex:\n%s", out)
	}

	// A database that is not there: a clear message, exit status not 0.
	bad := writeFile(t, dir, "bad.yaml", "store:\n  backend: postgres\n  dsn: \"host="+dir+" dbname=none connect_timeout=2\"\n")
	if _, errOut, code := newsbot(t, "", "search", "--config", bad, "--data", a, "x"); code == 0 || !strings.Contains(errOut, "cannot reach the database") {
		t.Errorf("database down: exit %d, %s", code, errOut)
	}
}

func logDatabase(t *testing.T, dir string) string {
	t.Helper()
	var p struct {
		Database string `json:"database"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "index.logpos"))
	if err != nil || json.Unmarshal(b, &p) != nil || p.Database == "" {
		t.Fatalf("index.logpos: %s, %v", b, err)
	}
	return p.Database
}
