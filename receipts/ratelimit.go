package receipts

import (
	"sync"
	"time"
)

// bucket is a token bucket: rate tokens a second, at most burst at once.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(rate float64, burst int, now time.Time) *bucket {
	if burst < 1 {
		burst = 1
	}
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now}
}

// take spends one token, refilled up to now, and reports whether there was one.
func (b *bucket) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.takeLocked(now)
}

func (b *bucket) takeLocked(now time.Time) bool {
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(b.burst, b.tokens+d.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// limiter keeps one bucket per client address, in memory only (addresses are never
// stored), and forgets the buckets that have refilled.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   int
	clients map[string]*bucket
	swept   time.Time
}

// maxClients is how many client buckets the limiter holds before it sweeps full ones.
const maxClients = 1 << 16

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: burst, clients: map[string]*bucket{}}
}

// allow reports whether client may send one more receipt at now.
func (l *limiter) allow(client string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.clients) >= maxClients || now.Sub(l.swept) > time.Minute {
		l.sweep(now)
	}
	b := l.clients[client]
	if b == nil {
		b = newBucket(l.rate, l.burst, now)
		l.clients[client] = b
	}
	return b.takeLocked(now)
}

// sweep forgets the buckets that would be full by now: they hold nothing worth keeping.
func (l *limiter) sweep(now time.Time) {
	l.swept = now
	for k, b := range l.clients {
		if b.tokens+now.Sub(b.last).Seconds()*b.rate >= b.burst {
			delete(l.clients, k)
		}
	}
}
