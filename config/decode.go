package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// nodeBudget caps how many YAML values one file may expand to. Aliases are
// not expanded by the YAML parser, only by our walk, so a small file of
// nested aliases ("billion laughs") could otherwise make the walk take
// forever. Real configurations are orders of magnitude smaller.
const nodeBudget = 100_000

// maxMergeDepth bounds chains of "<<" merges.
const maxMergeDepth = 32

var (
	durationType = reflect.TypeFor[time.Duration]()
	secretType   = reflect.TypeFor[Secret]()
)

// itemDefaults gives the starting value for each entry of a list of
// structs, so that keys left out of one entry take their defaults.
var itemDefaults = map[reflect.Type]func() reflect.Value{
	reflect.TypeFor[Feed]():   func() reflect.Value { return reflect.ValueOf(defaultFeed()) },
	reflect.TypeFor[Digest](): func() reflect.Value { return reflect.ValueOf(defaultDigest()) },
}

// loader carries the state of one Load: the problems found so far and,
// for validation, where each value came from.
type loader struct {
	file     string
	problems []Problem
	// lines maps a key path ("feeds[1].every") to the line of its value.
	lines map[string]int
	// env maps a key path to the environment variable that set it.
	env map[string]string
	// bad holds paths whose value was rejected while decoding, so that
	// validation does not report a second, confusing problem for them.
	bad map[string]bool

	budget       int
	budgetReport bool
	tokenInFile  bool
}

// build turns file contents (nil for no file) and the environment into a
// validated Config.
func build(path string, data []byte, getenv func(string) string) (*Config, []Problem) {
	l := &loader{
		file:   path,
		lines:  map[string]int{},
		env:    map[string]string{},
		bad:    map[string]bool{},
		budget: nodeBudget,
	}
	cfg := Default()
	if data != nil {
		l.decodeFile(data, cfg)
	}
	cfg.tokenInFile = l.tokenInFile && cfg.Discord.Token != ""
	if cfg.tokenInFile {
		cfg.tokenFrom = "discord.token"
	}
	l.applyEnv(cfg, getenv)
	l.validate(cfg)
	return cfg, l.sorted()
}

// sorted orders problems by line, with line-less ones last, and drops
// duplicates (a shared anchor merged into several entries reports the same
// line more than once, which is fine, but identical entries are noise).
func (l *loader) sorted() []Problem {
	seen := map[Problem]bool{}
	out := l.problems[:0]
	for _, p := range l.problems {
		k := p
		k.err = nil
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Line, out[j].Line
		if a == 0 || b == 0 {
			return a != 0 && b == 0
		}
		return a < b
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

func (l *loader) add(line int, key, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: l.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// reject records a value that could not be decoded and marks its path so
// validation leaves it alone.
func (l *loader) reject(n *yaml.Node, key, format string, args ...any) {
	l.bad[key] = true
	l.add(n.Line, key, format, args...)
}

var wholeNumber = regexp.MustCompile(`^[-+]?[0-9_]+$`)

var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (l *loader) decodeFile(data []byte, cfg *Config) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := decodeNode(dec, &doc); err != nil {
		if !errors.Is(err, io.EOF) { // io.EOF: empty file, all defaults
			l.syntaxError(err)
		}
		return
	}
	// A second document would be silently ignored by most tools, which
	// hides half of the user's settings; say so instead.
	var extra yaml.Node
	if err := decodeNode(dec, &extra); err == nil {
		l.add(extra.Line, "", "more than one YAML document (\"---\"); put all settings in one")
	} else if !errors.Is(err, io.EOF) {
		l.syntaxError(err)
	}

	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return
		}
		root = root.Content[0]
	}
	root = l.deref(root)
	if root == nil || isNull(root) {
		return
	}
	if root.Kind != yaml.MappingNode {
		l.add(root.Line, "", "the file must be a mapping of keys such as \"discord:\" and \"feeds:\", not %s", describe(root, false))
		return
	}
	l.decodeValue(root, "", reflect.ValueOf(cfg).Elem())
}

// decodeNode guards against panics inside the YAML library: check-config
// must report a bad file, not crash on it.
func decodeNode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failure: %v", r)
		}
	}()
	return dec.Decode(n)
}

func (l *loader) syntaxError(err error) {
	msg := err.Error()
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		l.add(line, "", "invalid YAML: %s", m[2])
		return
	}
	l.add(0, "", "invalid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// spend charges one unit of the node budget and reports when it runs out.
func (l *loader) spend(n *yaml.Node) bool {
	l.budget--
	if l.budget >= 0 {
		return true
	}
	if !l.budgetReport {
		l.budgetReport = true
		l.add(n.Line, "", "too many values after expanding aliases (more than %d); simplify the anchors", nodeBudget)
	}
	return false
}

// deref follows aliases to the node they name.
func (l *loader) deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i > maxMergeDepth {
			return nil
		}
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// decodeValue stores node n, found at key path, into v according to v's
// type. An explicit null leaves v unchanged, so "timeout:" with no value
// means "use the default", as it reads.
func (l *loader) decodeValue(n *yaml.Node, path string, v reflect.Value) {
	n = l.deref(n)
	if n == nil || !l.spend(n) || isNull(n) {
		return
	}
	l.lines[path] = n.Line
	t := v.Type()
	switch {
	case t == durationType:
		l.decodeDuration(n, path, v)
	case t == secretType:
		if s, ok := l.scalarString(n, path, true); ok {
			v.SetString(s)
			l.tokenInFile = true
		}
	case t.Kind() == reflect.Struct:
		l.decodeStruct(n, path, v)
	case t.Kind() == reflect.String:
		if s, ok := l.scalarString(n, path, false); ok {
			v.SetString(s)
		}
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		l.decodeInt(n, path, v)
	case t.Kind() == reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			l.reject(n, path, "expected true or false, got %s%s", describe(n, false), quotedHint(n, "!!bool"))
			return
		}
		var b bool
		if err := n.Decode(&b); err != nil {
			l.reject(n, path, "expected true or false, got %s", describe(n, false))
			return
		}
		v.SetBool(b)
	case t.Kind() == reflect.Slice:
		l.decodeSlice(n, path, v)
	default:
		// Only reachable if someone adds a field of a new kind to Config;
		// the tests load every field, so this fails loudly there.
		panic(fmt.Sprintf("config: field %s has unsupported type %s", path, t))
	}
}

// scalarString accepts any plain scalar as text, keeping the source
// spelling: an unquoted snowflake such as 123456789012345678 is a YAML
// integer, and its text is exactly the ID. Booleans are rejected because
// "yes"/"no"-style surprises are almost always a mistake in a string field.
func (l *loader) scalarString(n *yaml.Node, path string, secret bool) (string, bool) {
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!str", "!!int", "!!float", "!!timestamp":
			return n.Value, true
		}
	}
	l.reject(n, path, "expected a string, got %s", describe(n, secret))
	return "", false
}

func (l *loader) decodeInt(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!float" && wholeNumber.MatchString(n.Value) {
		// YAML turns integers beyond 64 bits into floats.
		l.reject(n, path, "number %s is out of range", n.Value)
		return
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		l.reject(n, path, "expected a whole number, got %s%s", describe(n, false), quotedHint(n, "!!int"))
		return
	}
	var i int64
	if err := n.Decode(&i); err != nil || v.OverflowInt(i) {
		l.reject(n, path, "number %s is out of range or malformed", n.Value)
		return
	}
	v.SetInt(i)
}

const durationHint = `use a number with a unit, such as "90s", "15m" or "1h30m"`

func (l *loader) decodeDuration(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!str":
			d, err := time.ParseDuration(n.Value)
			if err != nil {
				l.reject(n, path, "invalid duration %q (%s)", n.Value, durationHint)
				return
			}
			v.SetInt(int64(d))
			return
		case "!!int", "!!float":
			// A bare number could mean seconds, minutes or nanoseconds
			// depending on who wrote it; refuse to guess.
			l.reject(n, path, "invalid duration %s: a bare number has no unit; %s", n.Value, durationHint)
			return
		}
	}
	l.reject(n, path, "invalid duration: expected a string such as \"15m\", got %s", describe(n, false))
}

func (l *loader) decodeSlice(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.SequenceNode {
		l.reject(n, path, "expected a list, got %s", describe(n, false))
		return
	}
	elem := v.Type().Elem()
	out := reflect.MakeSlice(v.Type(), 0, len(n.Content))
	for i, c := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		ev := reflect.New(elem).Elem()
		if def, ok := itemDefaults[elem]; ok {
			ev.Set(def())
		}
		// Entries are appended even when broken so that the indexes in
		// later messages match the file.
		if c = l.deref(c); c != nil && isNull(c) {
			l.reject(c, p, "empty list entry")
		} else if c != nil {
			l.decodeValue(c, p, ev)
		}
		out = reflect.Append(out, ev)
	}
	v.Set(out)
}

type fieldInfo struct {
	name  string
	index int
}

// fields lists the YAML keys of a struct type, in declaration order.
func fields(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		out = append(out, fieldInfo{name, i})
	}
	return out
}

func (l *loader) decodeStruct(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		l.reject(n, path, "expected a mapping of keys, got %s", describe(n, false))
		return
	}
	fs := fields(v.Type())
	for _, e := range l.entries(n, path, 0) {
		name := e.key.Value
		idx := -1
		for _, f := range fs {
			if f.name == name {
				idx = f.index
				break
			}
		}
		if idx < 0 {
			l.unknownKey(e.key, path, name, fs)
			continue
		}
		l.decodeValue(e.val, join(path, name), v.Field(idx))
	}
}

type entry struct{ key, val *yaml.Node }

// entries lists a mapping's key/value pairs with "<<" merge keys expanded:
// keys written in the mapping win over merged ones, and earlier merge
// sources win over later ones, as the YAML merge-key convention says.
func (l *loader) entries(n *yaml.Node, path string, depth int) []entry {
	if depth > maxMergeDepth {
		l.add(n.Line, path, "\"<<\" merges nested too deeply")
		return nil
	}
	var out []entry
	seen := map[string]int{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := l.deref(n.Content[i]), n.Content[i+1]
		if k == nil || !l.spend(n) {
			continue
		}
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge" {
			merges = append(merges, val)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			l.add(k.Line, path, "keys must be plain names, not %s", describe(k, false))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			l.add(k.Line, join(path, safeKey(k.Value)), "duplicate key (first set on line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, entry{k, val})
	}
	for _, m := range merges {
		m = l.deref(m)
		if m == nil {
			continue
		}
		var sources []*yaml.Node
		switch m.Kind {
		case yaml.MappingNode:
			sources = []*yaml.Node{m}
		case yaml.SequenceNode:
			for _, s := range m.Content {
				sources = append(sources, l.deref(s))
			}
		default:
			sources = []*yaml.Node{nil}
		}
		for _, s := range sources {
			if s == nil || s.Kind != yaml.MappingNode {
				l.add(m.Line, path, "\"<<\" must merge a mapping or a list of mappings")
				continue
			}
			for _, e := range l.entries(s, path, depth+1) {
				if _, ok := seen[e.key.Value]; ok {
					continue
				}
				seen[e.key.Value] = e.key.Line
				out = append(out, e)
			}
		}
	}
	return out
}

// describe names a node's type and, unless it is secret, its value, for
// "expected X, got Y" messages.
func describe(n *yaml.Node, secret bool) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
	default:
		return "an unexpected YAML node"
	}
	tag := n.ShortTag()
	kind := map[string]string{
		"!!bool": "boolean", "!!int": "number", "!!float": "number", "!!str": "string",
		"!!null": "nothing", "!!timestamp": "timestamp", "!!binary": "binary value",
	}[tag]
	if kind == "" {
		return fmt.Sprintf("a value with the unsupported tag %s", tag)
	}
	if secret {
		return "a " + kind
	}
	val := truncate(n.Value, 40)
	if tag == "!!str" {
		return fmt.Sprintf("string %q", val)
	}
	return kind + " " + val
}

// quotedHint points out a quoted value that would have the wanted type
// without its quotes, a common slip.
func quotedHint(n *yaml.Node, want string) string {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		plain := &yaml.Node{Kind: yaml.ScalarNode, Value: n.Value}
		if plain.ShortTag() == want {
			return " (remove the quotes)"
		}
	}
	return ""
}
