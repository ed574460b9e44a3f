package redisstore

import "time"

// Limits bound what the store keeps beyond each conversation's own TTL.
type Limits struct {
	// DeliveryRecords is how many delivery records one conversation
	// keeps (default 1000); older ones also go once their TTL passed.
	DeliveryRecords int
	// StreamLength is about how many entries the operators' stream and
	// the dead-letter stream keep, the newest (default 10000).
	StreamLength int
}

// DefaultLimits are the limits of a store made by New.
var DefaultLimits = Limits{DeliveryRecords: 1000, StreamLength: 10000}

// SetLimits replaces the store's limits; a zero field keeps its default.
// Call it before the store is used.
func (s *Store) SetLimits(l Limits) {
	if l.DeliveryRecords <= 0 {
		l.DeliveryRecords = DefaultLimits.DeliveryRecords
	}
	if l.StreamLength <= 0 {
		l.StreamLength = DefaultLimits.StreamLength
	}
	s.limits = l
}

// now is the store's clock for the ages it keeps in sorted sets.
func (s *Store) now() time.Time { return time.Now() }
