package news

import "testing"

func TestStripSiteName(t *testing.T) {
	cases := []struct {
		title string
		sites []string
		want  string
	}{
		{"West Ham hrozí gigantům | Aktuálně.cz", []string{"Aktuálně.cz - Víte, co se právě děje"}, "West Ham hrozí gigantům"},
		{"Vidyard Introduces New Features - Spiceworks", []string{"Spiceworks Inc"}, "Vidyard Introduces New Features"},
		{"BBC News - Floods close schools in Wales", []string{"BBC News"}, "Floods close schools in Wales"},
		{"Measles outbreak in Samoa - Wikinews, the free news source", []string{"", "en.wikinews.org"}, "Measles outbreak in Samoa"},
		{"Politics | Budget passes | The Times", []string{"The Times"}, "Politics | Budget passes"},
		// Unknown site: nothing is cut.
		{"Budget passes - Parliament votes 300 to 200", []string{"The Times"}, "Budget passes - Parliament votes 300 to 200"},
		{"Budget passes | The Times", nil, "Budget passes | The Times"},
		// "The" alone is not "The Verge".
		{"Apple - The", []string{"The Verge"}, "Apple - The"},
		// What is left must still be a headline.
		{"Vox - Vox Media", []string{"Vox Media"}, "Vox - Vox Media"},
		{"Review: The Verge of Collapse", []string{"The Verge"}, "Review: The Verge of Collapse"},
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			if got := StripSiteName(c.title, c.sites...); got != c.want {
				t.Errorf("StripSiteName(%q, %q) = %q, want %q", c.title, c.sites, got, c.want)
			}
		})
	}
}

// A source name the user gives wins over the page's own; without one the
// page's site name stays, and the default only fills a gap.
func TestSourcePrecedence(t *testing.T) {
	page := []byte(`<html><head><meta property="og:site_name" content="Daily Planet"><title>Storm hits the coast | Daily Planet</title></head>
<body><article><p>A storm hit the coast on Monday, closing roads and schools across the region for two days.</p></article></body></html>`)
	cases := []struct {
		name string
		def  Defaults
		want string
	}{
		{"flag wins", Defaults{SetSource: "My Feed", Source: "fallback"}, "My Feed"},
		{"page's own", Defaults{Source: "fallback"}, "Daily Planet"},
		{"nothing given", Defaults{}, "Daily Planet"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items := Parse("p.html", page, FormatHTML, c.def)
			if len(items) != 1 || items[0].Err != nil {
				t.Fatalf("parse: %+v", items)
			}
			a := items[0].Article
			if a.Source != c.want {
				t.Errorf("source %q, want %q", a.Source, c.want)
			}
			if a.Title != "Storm hits the coast" {
				t.Errorf("title %q", a.Title)
			}
		})
	}
	items := Parse("a.txt", []byte("A headline\n\nSome text of the article that is long enough."), FormatText, Defaults{Source: "fallback"})
	if a := items[0].Article; a == nil || a.Source != "fallback" {
		t.Errorf("a text with no source: %+v", items[0])
	}
}
