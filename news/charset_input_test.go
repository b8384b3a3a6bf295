package news

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Bad input of issue 15: each gets a clear result, and nothing invalid is
// ever stored.
func TestHTMLCharsetBadInput(t *testing.T) {
	text := "Der Bürgermeister äußerte sich am Montag zur Lage. „Wir öffnen die Brücke“, sagte er später über die Maßnahmen."
	w1252, _ := charmap.Windows1252.NewEncoder().String(text)
	zh := "国家统计局今天发布数据显示，今年前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好。专家表示，消费对经济增长的贡献率进一步提高。"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(zh)
	oneLine := "<html><head><title>Long</title></head><body><p>" + strings.Repeat("word ", (MaxInputBytes-200)/5) + "</p></body></html>"
	cases := []struct {
		name    string
		page    string
		want    string // text the article must hold
		wantErr error
	}{
		{"declares UTF-8, is Windows-1252", `<html><head><meta charset="utf-8"><title>Brücke</title></head><body><article><p>` + w1252 + `</p></article></body></html>`, text, nil},
		{"declares Windows-1252, is GBK", `<html><head><meta charset="windows-1252"><title>t</title></head><body><article><p>` + gbk + `</p></article></body></html>`, zh, nil},
		{"UTF-8 BOM and a contrary meta tag", "\xef\xbb\xbf" + `<html><head><meta charset="iso-8859-1"><title>t</title></head><body><article><p>` + text + `</p></article></body></html>`, text, nil},
		{"UTF-8 declared gb2312, as a re-saved page", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>t</title></head><body><article><p>` + zh + `</p></article></body></html>`, zh, nil},
		{"a page of one 10 MB line", oneLine, "word word word", nil},
		{"a page with no text", `<html><head><title>Nothing</title></head><body><div></div></body></html>`, "", ErrEmpty},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			items := Parse("page.html", []byte(c.page), FormatHTML, Defaults{})
			if len(items) != 1 {
				t.Fatalf("%d items", len(items))
			}
			it := items[0]
			if c.wantErr != nil {
				if !errors.Is(it.Err, c.wantErr) {
					t.Errorf("err = %v, want %v", it.Err, c.wantErr)
				}
				return
			}
			if it.Err != nil {
				t.Fatalf("err %v", it.Err)
			}
			a := it.Article
			body := a.Body()
			for _, s := range []string{a.Title, body} {
				if !utf8.ValidString(s) {
					t.Errorf("invalid UTF-8 stored")
				}
			}
			if c.want != "" && !strings.Contains(body, c.want) {
				t.Errorf("text not read as written: %.200q", body)
			}
			if c.want == "" && bytes.ContainsAny([]byte(body), "ÃÂ") {
				t.Errorf("mojibake: %.200q", body)
			}
			t.Logf("%s: %d bytes in %s", c.name, len(c.page), time.Since(start).Round(time.Millisecond))
		})
	}
}
