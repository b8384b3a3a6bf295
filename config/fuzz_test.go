package config

import (
	"bytes"
	"os"
	"testing"
)

// FuzzCheck feeds arbitrary bytes through the whole pipeline. Beyond "never
// panics", it checks that every problem is well-formed and that a
// configuration accepted once is accepted again unchanged (validation's
// normalizations, such as lower-casing, must be idempotent).
func FuzzCheck(f *testing.F) {
	if data, err := os.ReadFile("../config.example.yaml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, problems := build("fuzz.yaml", data, noEnv)
		if cfg == nil {
			t.Fatal("build returned a nil Config")
		}
		// YAML breaks lines at \n, \r\n and a lone \r alike.
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n")) +
			bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) + 2
		for _, p := range problems {
			if p.Msg == "" {
				t.Errorf("problem without a message: %#v", p)
			}
			if p.Line < 0 || p.Line > lines {
				t.Errorf("problem on line %d of a %d-line input: %s", p.Line, lines, p)
			}
			_ = p.String()
		}
		if len(problems) > 0 {
			return
		}
		before := *cfg
		l := &loader{lines: map[string]int{}, env: map[string]string{}, bad: map[string]bool{}, budget: nodeBudget}
		l.validate(cfg)
		if len(l.problems) > 0 {
			t.Errorf("accepted config fails validation the second time:%s", dump(l.problems))
		}
		if before.Log != cfg.Log || before.Discord.BaseURL != cfg.Discord.BaseURL {
			t.Errorf("normalization is not idempotent: %+v vs %+v", before, *cfg)
		}
	})
}
