package rpm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
)

// NDB ("Packages.db", rpm's own format, SUSE since 15.3), as rpm's
// lib/backend/ndb/rpmpkg.c writes it, all numbers little-endian:
//
//	slot pages: slotnpages pages of 4096 bytes, 16-byte slots; the first
//	  two slots hold the file header ("RpmP", version 0, generation,
//	  slotnpages, nextpkgidx); a slot is "Slot", pkgidx, blkoff, blkcnt
//	  (blkoff 0: free).
//	blobs, at blkoff*16, blkcnt 16-byte blocks: "BlbS", pkgidx, timestamp,
//	  bloblen, the header blob, zero padding, then adler32 (of everything
//	  before it), bloblen, "BlbE".
const (
	ndbMagic     = 'R' | 'p'<<8 | 'm'<<16 | 'P'<<24
	ndbSlotMagic = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24
	ndbBlobHead  = 'B' | 'l'<<8 | 'b'<<16 | 'S'<<24
	ndbBlobTail  = 'B' | 'l'<<8 | 'b'<<16 | 'E'<<24

	ndbPageSize  = 4096
	ndbSlotSize  = 16
	ndbBlockSize = 16
	ndbHeadSize  = 16
	ndbTailSize  = 12
	// A slot page holds 256 packages; a few thousand packages is a big
	// system, so this bounds the slot area without refusing real ones.
	ndbMaxSlotPages = 1024
)

func ndbMagicOK(data []byte) bool {
	return len(data) >= 32 && binary.LittleEndian.Uint32(data) == ndbMagic
}

// ndbBlobs returns the header blobs of an NDB package database, checking
// each blob's frame and checksum, and a message per slot it skipped.
func ndbBlobs(data []byte) ([][]byte, []string, error) {
	le := binary.LittleEndian
	if !ndbMagicOK(data) {
		return nil, nil, errors.New("not an NDB package database")
	}
	if v := le.Uint32(data[4:]); v != 0 {
		return nil, nil, fmt.Errorf("NDB version %d not supported", v)
	}
	slotPages := le.Uint32(data[12:])
	if slotPages == 0 || slotPages > ndbMaxSlotPages || uint64(slotPages)*ndbPageSize > uint64(len(data)) {
		return nil, nil, fmt.Errorf("NDB with %d slot pages in %d bytes", slotPages, len(data))
	}
	fileBlocks := uint64(len(data)) / ndbBlockSize
	firstBlob := uint64(slotPages) * ndbPageSize / ndbBlockSize
	var blobs [][]byte
	var problems []string
	// rpm refuses overlapping slots; counting the blocks read bounds the
	// work on a crafted file to its size.
	var blocksRead uint64
	for off := 2 * ndbSlotSize; off < int(slotPages)*ndbPageSize; off += ndbSlotSize {
		s := data[off:]
		if le.Uint32(s) != ndbSlotMagic {
			return blobs, problems, fmt.Errorf("bad NDB slot at offset %d", off)
		}
		pkg, blkoff, blkcnt := le.Uint32(s[4:]), uint64(le.Uint32(s[8:])), uint64(le.Uint32(s[12:]))
		if blkoff == 0 {
			continue
		}
		if pkg == 0 || blkcnt == 0 || blkoff < firstBlob || blkoff+blkcnt > fileBlocks {
			problems = append(problems, fmt.Sprintf("slot %d: package %d at blocks %d+%d outside the file", off/ndbSlotSize, pkg, blkoff, blkcnt))
			continue
		}
		if blocksRead += blkcnt; blocksRead > fileBlocks {
			return blobs, problems, errors.New("NDB slots overlap")
		}
		blob, err := ndbBlob(data[blkoff*ndbBlockSize:(blkoff+blkcnt)*ndbBlockSize], pkg)
		if err != nil {
			problems = append(problems, fmt.Sprintf("package %d: %v", pkg, err))
			continue
		}
		blobs = append(blobs, blob)
	}
	return blobs, problems, nil
}

// ndbBlob checks one blob's frame and returns the header inside it.
func ndbBlob(b []byte, pkg uint32) ([]byte, error) {
	le := binary.LittleEndian
	if len(b) < ndbHeadSize+ndbTailSize || le.Uint32(b) != ndbBlobHead || le.Uint32(b[4:]) != pkg {
		return nil, errors.New("bad blob header")
	}
	n := uint64(le.Uint32(b[12:]))
	if (ndbHeadSize+n+ndbTailSize+ndbBlockSize-1)/ndbBlockSize != uint64(len(b))/ndbBlockSize {
		return nil, fmt.Errorf("blob length %d does not match its %d blocks", n, len(b)/ndbBlockSize)
	}
	tail := b[len(b)-ndbTailSize:]
	if le.Uint32(tail[4:]) != uint32(n) || le.Uint32(tail[8:]) != ndbBlobTail {
		return nil, errors.New("bad blob trailer")
	}
	if sum := adler32.Checksum(b[:len(b)-ndbTailSize]); sum != le.Uint32(tail) {
		return nil, fmt.Errorf("blob checksum %08x, trailer says %08x", sum, le.Uint32(tail))
	}
	return b[ndbHeadSize : ndbHeadSize+n], nil
}
