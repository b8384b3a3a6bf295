package markdown

import "testing"

func TestEscape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "NATO agrees plan", "NATO agrees plan"},
		{"emphasis", "a *b* _c_ ~~d~~ `e`", `a \*b\* \_c\_ \~\~d\~\~ \` + "`" + `e\` + "`"},
		{"spoiler and quote", "||x|| > y", `\|\|x\|\| \> y`},
		{"masked link", "[click](https://x.y)", `\[click\](https://x.y)`},
		{"heading at start", "# Big", `\# Big`},
		{"hash inside", "issue #5", "issue #5"},
		{"list at line start", "- a\n- b", "\\- a\n\\- b"},
		{"mention syntax", "<@123> <t:1:R>", `\<@123\> \<t:1:R\>`},
		{"everyone", "hi @everyone and @here", "hi @\u200beveryone and @\u200bhere"},
		{"backslash", `a\b`, `a\\b`},
		{"unicode kept", "Gdańsk – “quote”", "Gdańsk – “quote”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBoldSpans(t *testing.T) {
	tests := []struct {
		text  string
		spans [][2]int
		want  string
	}{
		{"a *b* c", [][2]int{{2, 5}}, `a **\*b\*** c`},
		{"ab cd ef", [][2]int{{0, 2}, {6, 8}}, "**ab** cd **ef**"},
		{"ab cd", [][2]int{{3, 5}, {0, 2}, {4, 9}, {1, 1}}, "ab **cd**"}, // out of order, outside, empty: plain
		{"_x_", nil, `\_x\_`},
	}
	for _, tt := range tests {
		if got := BoldSpans(tt.text, tt.spans); got != tt.want {
			t.Errorf("BoldSpans(%q, %v) = %q, want %q", tt.text, tt.spans, got, tt.want)
		}
	}
}
