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
