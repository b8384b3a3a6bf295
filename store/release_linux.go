package store

import (
	"unsafe"

	"go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// faultAround is how much the kernel maps around a page of a file that a
// read touches through a memory map (its fault_around_bytes, 64 KB by
// default): pages the kernel already holds in its file cache come into the
// process's RSS sixteen at a time.
const faultAround = 64 << 10

// release drops this process's mapping of the pages around value, a value
// read through bbolt's memory map in tx, once it has been decoded (copied
// out). bbolt reads only through its map, so answering reads articles
// scattered over the whole store, and after a few thousand requests the
// whole file counted in the process's RSS (the store was half of the serving
// RSS at 100,000 articles). The pages stay in the kernel's file cache, as
// they would after a plain read of the file, and the next read of them maps
// them again. It must be called inside tx: bbolt replaces its map only when
// no read transaction is open, so the range is mapped while tx is.
//
// The range is the fault-around windows from the start of value's bbolt
// page to its end, within the part of the map that holds the file. On a
// file mapped shared and read-only, MADV_DONTNEED only unmaps: nothing is
// lost, and the data is read back from the cache.
func release(tx *bbolt.Tx, value []byte) {
	if len(value) == 0 {
		return
	}
	info := tx.DB().Info()
	base, size := info.Data, uintptr(tx.Size())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(value)))
	end := start + uintptr(len(value))
	if start < base || end > base+size {
		return // not in the map (a copy)
	}
	page := base + (start-base)/uintptr(info.PageSize)*uintptr(info.PageSize)
	lo := max(page&^(faultAround-1), base)
	hi := min((end+faultAround-1)&^(faultAround-1), base+size)
	// The pointer is made from value's own, within the same mapping.
	p := unsafe.Add(unsafe.Pointer(unsafe.SliceData(value)), -int(start-lo))
	_ = unix.Madvise(unsafe.Slice((*byte)(p), hi-lo), unix.MADV_DONTNEED)
}
