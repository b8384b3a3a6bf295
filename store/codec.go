package store

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"
)

// An article is stored as its JSON compressed, behind a one-byte tag that
// names the compression. JSON keeps every field a newer newsbot adds; the
// compression takes the repeated field names and most of the text's
// redundancy away. Zstandard at its default level makes news text about
// 58% of its JSON, where Snappy (format 1) made it 86% and compress/flate
// 59% at twice the decoding time: every search reply decodes its articles.
// Values of older files (Snappy, or untagged plain JSON) are still read.
const (
	tagZstdJSON   = 'z'
	tagSnappyJSON = 's'
)

// maxArticle bounds what one stored value may decode to, so a damaged
// value cannot ask for unbounded memory.
const maxArticle = 64 << 20

var codec = sync.OnceValues(func() (*zstd.Encoder, *zstd.Decoder) {
	// EncodeAll and DecodeAll are safe for concurrent use; the
	// concurrency options bound how many run at once, each with its own
	// state.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault),
		zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
	if err != nil {
		panic(fmt.Sprintf("store: zstd encoder: %v", err)) // only for invalid options
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0),
		zstd.WithDecoderMaxMemory(maxArticle), zstd.WithDecoderLowmem(true))
	if err != nil {
		panic(fmt.Sprintf("store: zstd decoder: %v", err))
	}
	return enc, dec
})

func encodeArticle(a any) ([]byte, error) {
	data, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	enc, _ := codec()
	out := make([]byte, 1, 1+len(data)/2)
	out[0] = tagZstdJSON
	return enc.EncodeAll(data, out), nil
}

func decodeArticle(data []byte, a any) error {
	if len(data) > 0 {
		var err error
		switch data[0] {
		case tagZstdJSON:
			_, dec := codec()
			data, err = dec.DecodeAll(data[1:], nil)
		case tagSnappyJSON:
			data, err = snappy.Decode(nil, data[1:])
		}
		if err != nil {
			return fmt.Errorf("decompress: %w", err)
		}
	}
	return json.Unmarshal(data, a)
}
