// Package store keeps breaches in an embedded bbolt database.
//
// Every write of a breach writes, in the same transaction, the record, its new
// audit events and every index entry that changes, so an index never points at
// a record that is not there and a record never lacks its index entries
// (Check verifies both ways). Writes are durable (fsync on commit) and
// concurrent writers are group-committed (Commit), so throughput is not one
// fsync per request.
//
// Bucket layout, version 3 (meta/layout_version). A change to this layout
// needs a new version and a migration in migrate.go, with a test.
//
//	meta/
//	    layout_version            -> decimal layout version ("1")
//	    ref/<yyyy>                -> uint64 BE: breaches received in that year
//	                                 (Europe/Amsterdam), for references DL-yyyy-nnnn
//	    once/<key>                -> when a once-only mail (the daily digest) was queued
//	    mail_sent_count           -> uint64 BE: mails sent in all
//	    mail_dead_count           -> uint64 BE: mails refused for good
//	breaches/
//	    <id>                      -> breach.Breach as JSON
//	events/
//	    <id>/<seq uint64 BE>      -> breach.Event as JSON; the hash-chained audit trail
//	by_received/
//	    <received_at ns uint64 BE><id>       -> empty; newest-first listings
//	by_organisation/
//	    <organisation>/                      -> one bucket per supplier organisation
//	        <received_at ns uint64 BE><id>   -> empty; a supplier's own listing
//	by_deadline/
//	    <due_at ns uint64 BE><id>/<clock>    -> empty; one entry per running clock;
//	                                            keys sort by due time
//	by_organisation_deadline/                                        (since version 2)
//	    <organisation>/                      -> one bucket per supplier organisation
//	        <due_at ns uint64 BE><id>/<clock> -> as by_deadline, for its own listings
//	alerts/                                                          (since version 2)
//	    <next alert ns uint64 BE><id>/<clock> -> empty; one entry per running clock,
//	                                            moved on every alert: a sweep seeks
//	                                            from the start to now and reads only
//	                                            what is due
//	outbox/                                                          (since version 2)
//	    <seq uint64 BE>           -> a pending mail (breach.OutboxMail) and, since
//	                                 version 3, a reference to the snapshot of the
//	                                 breach it is about (none for the digest)
//	outbox_due/                                                      (since version 2)
//	    <next attempt ns uint64 BE><seq uint64 BE> -> empty; the relay reads it up
//	                                 to now only
//	mail_sent/                                                       (since version 2)
//	    <seq uint64 BE>           -> the same, once sent: the log of every mail that left
//	mail_dead/                                                       (since version 2)
//	    <seq uint64 BE>           -> the same, refused for good by the receiving server
//	snapshots/                                                       (since version 3)
//	    <id>/<version uint64 BE>  -> breach.Breach as JSON, as the change that
//	                                 brought it to that version left it: stored once
//	                                 for all the mails of that change, never deleted
//	idempotency/
//	    <scope>\x00<key>          -> breach.Idempotency as JSON
//	tokens/
//	    <sha256 hex of secret>    -> breach.Token as JSON (never the secret)
//	token_ids/
//	    <token id>                -> sha256 hex, to revoke or replace by ID
package store
