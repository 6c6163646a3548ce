package emulator

import "sync"

// ring is a bounded, concurrency-safe buffer of the last size items, each
// with a sequence number (1, 2, ...) so readers can ask for what is new.
// Item seq lives in slot (seq-1) % size.
type ring[T any] struct {
	mu    sync.Mutex
	items []T
	held  uint64 // how many of the newest items are valid
	next  uint64 // sequence number of the next item
	size  uint64
}

func newRing[T any](size int) *ring[T] {
	return &ring[T]{next: 1, size: uint64(max(size, 1))}
}

// add stores v, giving it the next sequence number through set (when not
// nil), and returns that number.
func (r *ring[T]) add(v T, set func(*T, uint64)) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.items == nil {
		r.items = make([]T, r.size)
	}
	seq := r.next
	r.next++
	if set != nil {
		set(&v, seq)
	}
	r.items[(seq-1)%r.size] = v
	r.held = min(r.held+1, r.size)
	return seq
}

// since returns the items with sequence numbers above after, oldest first,
// at most limit of them (limit <= 0: all).
func (r *ring[T]) since(after uint64, limit int) []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	from := max(r.next-r.held, after+1)
	var out []T
	for seq := from; seq < r.next; seq++ {
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, r.items[(seq-1)%r.size])
	}
	return out
}

// last returns the sequence number of the newest item (0: none yet).
func (r *ring[T]) last() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.next - 1
}

// reset forgets every item; sequence numbers keep growing.
func (r *ring[T]) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.held = 0
	clear(r.items)
}
