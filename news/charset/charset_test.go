package charset

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// Texts long enough for a reader (and the detector) to tell the language.
var (
	zhHans = "新华社北京电 国家统计局今天发布数据显示，今年前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好。专家表示，消费对经济增长的贡献率进一步提高，就业形势保持稳定，居民收入继续增加。"
	zhHant = "中央社台北電 行政院今天召開記者會，說明明年度總預算的編列情形，其中社會福利支出持續增加，教育與科學研究經費也有明顯成長。官員表示，政府將持續推動產業轉型，並照顧弱勢家庭的生活。"
	ja     = "東京発 政府は今日、来年度の予算案を閣議決定した。社会保障費が過去最大となり、防衛費も大きく増えた。財務省によると、国債の発行額は前年度よりやや減る見通しだという。専門家は財政の健全化が課題だと指摘している。"
	ko     = "서울 연합뉴스 정부는 오늘 내년도 예산안을 국무회의에서 의결했다. 사회 복지 예산이 크게 늘었고 연구 개발 예산도 증가했다. 기획재정부는 경제 성장을 지원하면서 재정 건전성을 지키겠다고 밝혔다. 전문가들은 세수 부족이 걱정된다고 말했다."
	ru     = "Москва. Правительство России сегодня утвердило проект федерального бюджета на следующий год. По словам министра финансов, расходы на социальную политику и образование вырастут, а дефицит бюджета сократится. Эксперты считают, что доходы от нефти и газа останутся главным источником поступлений."
	de     = "Berlin. Die Bundesregierung hat am Mittwoch den Haushaltsentwurf für das kommende Jahr beschlossen. Die Ausgaben für Bildung und Forschung steigen, während die Neuverschuldung sinkt. Kritiker äußerten Zweifel, ob die Einnahmen aus der Steuerreform ausreichen würden. „Wir müssen sparen“, sagte der Minister."
)

func page(meta, body string) string {
	return "<!DOCTYPE html><html><head>" + meta + "<title>t</title></head><body><article><p>" + body + "</p></article></body></html>"
}

func enc(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func TestDecode(t *testing.T) {
	longHead := "<meta name=\"description\" content=\"" + strings.Repeat("x", 3000) + "\">"
	cases := []struct {
		name        string
		body        []byte
		contentType string
		html        bool
		want        string // a piece of text the result must hold
		by          string
	}{
		{"GBK, undeclared", enc(t, simplifiedchinese.GBK, page("", zhHans)), "", true, zhHans, ByDetector},
		{"Big5, undeclared", enc(t, traditionalchinese.Big5, page("", zhHant)), "", true, zhHant, ByDetector},
		{"Shift_JIS, undeclared", enc(t, japanese.ShiftJIS, page("", ja)), "", true, ja, ByDetector},
		{"EUC-KR, undeclared", enc(t, korean.EUCKR, page("", ko)), "", true, ko, ByDetector},
		{"Windows-1251, undeclared", enc(t, charmap.Windows1251, page("", ru)), "", true, ru, ByDetector},
		{"KOI8-R, undeclared", enc(t, charmap.KOI8R, page("", ru)), "", true, ru, ByDetector},
		{"Windows-1252, undeclared", enc(t, charmap.Windows1252, page("", de)), "", true, de, ByDetector},
		{"plain text in GBK", enc(t, simplifiedchinese.GBK, zhHans), "", false, zhHans, ByDetector},
		{"UTF-8 declared gb2312 (re-saved page)", []byte(page(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, zhHans)), "", true, zhHans, ByUTF8},
		{"UTF-8, no declaration", []byte(page("", "Don’t stop")), "", true, "Don’t stop", ByUTF8},
		{"UTF-8 BOM, contrary meta", append([]byte("\xef\xbb\xbf"), enc(t, charmap.Windows1252, page(`<meta charset="windows-1252">`, "plain"))...), "", true, "plain", ByBOM},
		{"UTF-16LE BOM, contrary meta", enc(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), page(`<meta charset="iso-8859-1">`, de)), "", true, de, ByBOM},
		{"meta past the first kilobyte", enc(t, charmap.Windows1251, page(longHead+`<meta charset="windows-1251">`, ru)), "", true, ru, ByDocument},
		{"http-equiv after other attributes", enc(t, japanese.ShiftJIS, page(longHead+`<meta content="text/html; charset=Shift_JIS" http-equiv="Content-Type">`, ja)), "", true, ja, ByDocument},
		{"header wins over meta", enc(t, charmap.KOI8R, page(`<meta charset="windows-1251">`, ru)), "text/html; charset=koi8-r", true, ru, ByHeader},
		{"declares UTF-8, is Windows-1252", enc(t, charmap.Windows1252, page(`<meta charset="utf-8">`, de)), "", true, de, ByDetector},
		{"header says UTF-8, is GBK", enc(t, simplifiedchinese.GBK, page("", zhHans)), "text/html; charset=utf-8", true, zhHans, ByDetector},
		{"declares Windows-1252, is GBK", enc(t, simplifiedchinese.GBK, page(`<meta charset="windows-1252">`, zhHans)), "", true, zhHans, ByDetector},
		{"header says ISO-8859-1, is Shift_JIS", enc(t, japanese.ShiftJIS, page("", ja)), "text/html; charset=iso-8859-1", true, ja, ByDetector},
		{"declares Windows-1251, is Windows-1251", enc(t, charmap.Windows1251, page(`<meta charset="windows-1251">`, ru)), "", true, ru, ByDocument},
		{"declares Windows-1252, is Windows-1252", enc(t, charmap.Windows1252, page(`<meta charset="windows-1252">`, de)), "", true, de, ByDocument},
		{"ASCII only", []byte(page("", "plain words")), "", true, "plain words", ByDefault},
		{"no text", []byte{}, "", true, "", ByDefault},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, res := Decode(c.body, c.contentType, c.html)
			if !utf8.Valid(out) {
				t.Fatalf("result is not valid UTF-8")
			}
			if !bytes.Contains(out, []byte(c.want)) {
				t.Errorf("read as %s (%s), text not found in %.200q", res.Name, res.By, out)
			}
			if res.By != c.by {
				t.Errorf("chosen by %q (%s), want %q", res.By, res.Name, c.by)
			}
			if bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
				t.Errorf("BOM kept")
			}
		})
	}
}

// Bytes that decode in no encoding still come out valid UTF-8, and a page of
// 10 MB on one line is read in one pass.
func TestDecodeBadInput(t *testing.T) {
	junk := bytes.Repeat([]byte{0xff, 0xfe, 0x80, 0x00, 0xc3}, 1000)[2:]
	out, _ := Decode(junk, "text/html; charset=no-such-charset", true)
	if !utf8.Valid(out) {
		t.Errorf("junk: result not valid UTF-8")
	}
	line := append([]byte("<html><body><p>"), bytes.Repeat([]byte("caf\xe9 "), 2<<20)...)
	out, res := Decode(line, "", true)
	if !utf8.Valid(out) || !bytes.Contains(out, []byte("café café")) {
		t.Errorf("10 MB line: read as %s (%s), not as Windows-1252", res.Name, res.By)
	}
}
