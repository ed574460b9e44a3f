// Package redisstore keeps slipdesk's conversations in Redis: it
// implements bot.Store and bot.FlowArchive on go-redis's UniversalClient,
// so the same code runs on one server, on Sentinel, on Cluster and on the
// embedded miniredis that slipdesk uses when no REDIS_URL is set.
//
// Every key of one conversation carries the hash tag {c:<channel>:<user>}
// (channel and user escaped), so that the commit script, which touches all
// of them, runs unchanged on Redis Cluster:
//
//	<prefix>{c:<channel>:<user>}:state          "<version>|<JSON conversation>" (older: hash v, d)
//	<prefix>{c:<channel>:<user>}:log            list of transcript lines (logline.go)
//	<prefix>{c:<channel>:<user>}:outbox         list of JSON effects
//	<prefix>{c:<channel>:<user>}:seenidx        sorted set: committed delivery IDs by commit time
//	<prefix>{c:<channel>:<user>}:seen:<id>      a committed delivery's replies and their sending
//	                                            lease, until all are sent (record.go)
//	<prefix>sent:<digest>                       lease and marks of replies no commit recorded
//	<prefix>flow:<version>                      archived flow source
//
// An idle conversation is its state, its transcript and its index: after
// the first three messages of the shipped journey, under 1 KiB.
//
// A turn costs two round trips: Load is one pipeline and Commit is one
// Lua script, which also takes the replies' sending lease for the
// process that commits. Scripts use only Redis 7.0 commands and take their JSON
// already encoded, so they also run on miniredis, which lacks cmsgpack.
//
// The hot commands go through a Batcher: the round trips of turns that
// run at once travel together, as one pipeline, so that a busy process
// and the server make one system call for many turns.
package redisstore
