// Package redisstore keeps slipdesk's conversations in Redis: it
// implements bot.Store and bot.FlowArchive on go-redis's UniversalClient,
// so the same code runs on one server, on Sentinel, on Cluster and on the
// embedded miniredis that slipdesk uses when no REDIS_URL is set.
//
// Every key of one conversation carries the hash tag {c:<channel>:<user>}
// (channel and user escaped), so that the commit script, which touches all
// of them, runs unchanged on Redis Cluster:
//
//	<prefix>{c:<channel>:<user>}:state          hash: v (version), d (JSON conversation)
//	<prefix>{c:<channel>:<user>}:log            list of JSON transcript lines
//	<prefix>{c:<channel>:<user>}:outbox         list of JSON effects
//	<prefix>{c:<channel>:<user>}:seen:<id>      JSON replies of a committed delivery
//	<prefix>flow:<version>                      archived flow source
//
// A turn costs two round trips: Load is one pipeline and Commit is one
// Lua script. Scripts use only Redis 7.0 commands and take their JSON
// already encoded, so they also run on miniredis, which lacks cmsgpack.
package redisstore
