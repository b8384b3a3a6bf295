package config

import (
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// KeyPaths lists every key Config knows, as dotted paths with "[]" for list
// entries ("discord.token", "feeds[].every"), in declaration order. It is
// derived from the struct tags, so it is always complete.
func KeyPaths() []string {
	var out []string
	keyPaths(reflect.TypeFor[Config](), "", &out)
	return out
}

func keyPaths(t reflect.Type, prefix string, out *[]string) {
	for _, f := range fields(t) {
		p := join(prefix, f.name)
		ft := t.Field(f.index).Type
		switch {
		case ft == durationType || ft == secretType:
			*out = append(*out, p)
		case ft.Kind() == reflect.Struct:
			keyPaths(ft, p, out)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			keyPaths(ft.Elem(), p+"[]", out)
		default:
			*out = append(*out, p)
		}
	}
}

// unknownKey reports a key the schema does not have, with the most likely
// intended key when there is one: a different spelling at the same level
// ("dataDir", "tiemout") or the right name at the wrong level ("token" at
// the top instead of under "discord").
func (l *loader) unknownKey(k *yaml.Node, parent, name string, here []fieldInfo) {
	key := join(parent, safeKey(name))
	names := make([]string, len(here))
	for i, f := range here {
		names[i] = f.name
	}
	if s := suggestHere(name, names); s != "" {
		l.add(k.Line, key, "unknown key; did you mean %q?", s)
		return
	}
	if s := suggestElsewhere(name, parent); len(s) > 0 {
		l.add(k.Line, key, "unknown key here; did you mean %s?", orList(s))
		return
	}
	where := "at the top level"
	if parent != "" {
		where = "under " + parent
	}
	l.add(k.Line, key, "unknown key (known keys %s: %s)", where, strings.Join(names, ", "))
}

// safeKey keeps a pasted token out of messages: someone who writes the
// token where a key belongs must not see it echoed into logs.
func safeKey(name string) string {
	parts := strings.Split(name, ".")
	if len(name) >= 40 && len(parts) == 3 {
		return "<token-like key>"
	}
	return truncate(name, 60)
}

// normalize folds the spelling differences that do not matter to a reader:
// case and the word separators "_", "-" and " ".
func normalize(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("_", "", "-", "", " ", "").Replace(s)
}

func suggestHere(name string, names []string) string {
	n := normalize(name)
	for _, c := range names {
		if normalize(c) == n {
			return c
		}
	}
	// Allow one edit for short names and two for longer ones: more than
	// that suggests unrelated keys ("url" for "tag").
	limit := 1
	if len(n) > 5 {
		limit = 2
	}
	best, bestD := "", limit+1
	for _, c := range names {
		if d := editDistance(n, normalize(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func suggestElsewhere(name, parent string) []string {
	n := normalize(name)
	var out []string
	for _, p := range KeyPaths() {
		i := strings.LastIndexByte(p, '.')
		section := ""
		if i >= 0 {
			section = strings.ReplaceAll(p[:i], "[]", "")
		}
		if normalize(p[i+1:]) == n && section != stripIndexes(parent) {
			out = append(out, p)
		}
	}
	return out
}

// stripIndexes turns "feeds[3]" into "feeds" so positions compare equal to
// the schema's "feeds[]".
func stripIndexes(p string) string {
	var b strings.Builder
	skip := false
	for _, r := range p {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func orList(s []string) string {
	switch len(s) {
	case 1:
		return s[0]
	case 2:
		return s[0] + " or " + s[1]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// editDistance is the optimal-string-alignment distance between a and b
// (Levenshtein plus swapping two adjacent characters, the commonest typo:
// "levle" is one edit from "level"). It works on bytes; keys are ASCII.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1) // row i-2, for transpositions
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
