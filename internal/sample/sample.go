// Package sample embeds a small set of real news articles (Wikinews, CC BY 2.5,
// and one scraped article) so newsbot answers questions on first run, and so
// tests have real text to work on.
package sample

import (
	"embed"
	"io/fs"
)

//go:embed data
var files embed.FS

// FS holds the sample articles: seed/*.txt and wikinews/*.csv, with README.md
// and the licence.
func FS() fs.FS {
	sub, err := fs.Sub(files, "data")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// Articles lists the article files of the sample (not its licence or README).
func Articles() []string {
	return []string{
		"seed/nato-ukraine-security-assistance.txt",
		"wikinews/wikinews_2019.csv",
		"wikinews/wikinews_2020.csv",
	}
}
