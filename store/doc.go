// Package store keeps breaches in an embedded bbolt database.
//
// Every write of a breach writes, in the same transaction, the record, its new
// audit events, every index entry that changes and the mails the change
// causes, with one snapshot of the record for all of them, so an index never
// points at a record that is not there, a record never lacks its index
// entries and no change loses its mail (Check verifies indexes and records
// both ways, and mails against snapshots). Writes are durable (fsync on
// commit) and concurrent writers are group-committed (Commit), so throughput
// is not one fsync per request.
//
// Bucket layout, version 8 (meta/layout_version). A change to this layout
// needs a new version and a migration in migrate.go, with a test; the stored
// JSON of every record is pinned by TestStoredLayout (testdata/layout/v<version>). "BE"
// is big-endian; "ns" is nanoseconds since 1970 UTC, so keys sort by time.
//
// "as JSON" below means JSON compressed as one zstd frame against the
// dictionary in zstd-dictionary-1.txt, whose ID the frame names (since
// version 6; before, plain JSON, which is still read): the records of the
// buckets breaches, events, snapshots, outbox, mail_sent, mail_dead,
// mail_pruned, idempotency, tokens, organisations, accounts, account_events
// and sessions (codec.go).
//
//	meta/
//	    layout_version            -> decimal layout version ("8")
//	    ref/<yyyy>                -> uint64 BE: breaches received in that year
//	                                 (Europe/Amsterdam), for the counted references
//	                                 DL-yyyy-nnnn of versions 1 to 3; no longer
//	                                 written since version 4, which draws them
//	    once/<once key>           -> ns uint64 BE: when a once-only mail was queued
//	                                 (once/digest/<yyyy-mm-dd>, the daily digest;
//	                                 since version 2)
//	    mail_sent_count           -> uint64 BE: mails sent in all      (since version 2;
//	                                 deliveries since version 5)
//	    mail_dead_count           -> uint64 BE: mails in mail_dead     (since version 2;
//	                                 deliveries since version 5)
//	    mail_dead_mailbox_count   -> uint64 BE: of those, mails for the privacy
//	                                 mailbox (since version 5)
//	    schedule_fingerprint      -> hex sha256 of the alert schedule (and layout and
//	                                 alert rules) the running clocks' next alerts were
//	                                 computed with; start-up reschedules them only when
//	                                 it differs (written by the service, no layout
//	                                 change: a store without it is rescheduled once)
//	    closed_cleanly            -> "1" while the service that last wrote the file
//	                                 stopped cleanly; start-up then leaves out bbolt's
//	                                 check of every page (startup.go; no layout change)
//	breaches/
//	    <id>                      -> breach.Breach as JSON; with the alert state
//	                                 of its clocks (alerting) since version 2
//	events/
//	    <id>/<seq uint64 BE>      -> breach.Event as JSON; the hash-chained audit trail
//	by_received/
//	    <received_at ns uint64 BE><id>       -> empty; newest-first listings, the register
//	by_organisation/
//	    <organisation>/                      -> one bucket per supplier organisation
//	        <received_at ns uint64 BE><id>   -> empty; a supplier's own listing
//	by_deadline/
//	    <due_at ns uint64 BE><id>/<clock>    -> empty; one entry per running clock
//	                                            (processor, authority); keys sort
//	                                            by due time
//	by_organisation_deadline/                                        (since version 2)
//	    <organisation>/                      -> one bucket per supplier organisation
//	        <due_at ns uint64 BE><id>/<clock> -> as by_deadline, for its own listings
//	open_breaches/                                                   (since version 8)
//	    <id>                                 -> empty; every breach not closed, so that
//	                                            the overview of open breaches and the
//	                                            daily digest read what is open, never
//	                                            the closed history
//	access_log/ <seq uint64 BE> -> breach.AccessEntry as JSON: tokens, accounts, staff reads, hash-chained (since version 8; audit.go)
//	alerts/                                                          (since version 2)
//	    <next alert ns uint64 BE><id>/<clock> -> empty; one entry per clock with an
//	                                            alert to come (processor, authority,
//	                                            question:<question id>; subjects since
//	                                            version 7, for every open breach
//	                                            decided to inform), moved on
//	                                            every alert: a sweep seeks from the
//	                                            start to now and reads only what is due
//	outbox/                                                          (since version 2)
//	    <seq uint64 BE>           -> a pending mail: breach.OutboxMail as JSON (its
//	                                 number, the key, not repeated in mails written
//	                                 since version 6, for a mail is encoded before
//	                                 its transaction draws the number), its
//	                                 notice without the breach (with the audience it
//	                                 is for since version 3), and the snapshot of
//	                                 the breach it is about as "snapshot":
//	                                 {"breach_id","version"} (since version 3; none
//	                                 for the digest; in version 2 the breach record
//	                                 itself, as "breach_snapshot"). One delivery to
//	                                 one address of the notice, its "recipient"
//	                                 (since version 5: a notice to n addresses is n
//	                                 mails, each with its own seq and state; before,
//	                                 one mail went to all its addresses at once)
//	outbox_due/                                                      (since version 2)
//	    <next attempt ns uint64 BE><seq uint64 BE> -> empty; the relay reads it up
//	                                 to now only
//	mail_sent/                                                       (since version 2)
//	    <seq uint64 BE>           -> as in outbox, once sent: the log of every mail
//	                                 that left, kept whole (since version 6: until
//	                                 pruned, then in mail_pruned)
//	mail_pruned/                                                     (since version 6)
//	    <seq uint64 BE>           -> breach.OutboxMail as JSON, what the log keeps of
//	                                 a sent mail once DATALEK_MAIL_KEEP has passed
//	                                 (OutboxMail.Pruned: its notice's ID, kind,
//	                                 audience and thread, the address, when it left;
//	                                 no snapshot, no content)
//	mail_dead/                                                       (since version 2)
//	    <seq uint64 BE>           -> as in outbox, refused for good by the receiving
//	                                 server; an operator's resend moves it back to
//	                                 outbox under the same seq (since version 5)
//	snapshots/                                                       (since version 3)
//	    <id>/<version uint64 BE>  -> breach.Breach as JSON, as the change that brought
//	                                 it to that version left it (the same bytes as
//	                                 breaches/<id> then); one for all the mails of
//	                                 that change, bounces included; never deleted
//	                                 before version 6, since then once no pending or
//	                                 dead mail needs it (a sent mail keeps only the
//	                                 reference)
//	snapshot_holds/                                                  (since version 6)
//	    <id>/<version uint64 BE>  -> uint64 BE: the pending and dead mails that refer
//	                                 to the snapshot
//	references/                                                      (since version 4)
//	    <reference>               -> breach ID; every breach's reference, counted
//	                                 (DL-2026-0042, before version 4) or drawn at
//	                                 random (DL-2026-K7QM4), so that a drawn one is
//	                                 never given twice
//	idempotency/
//	    <scope>\x00<key>          -> breach.Idempotency as JSON; scope is the key's
//	                                 owner (breach.Idempotency.Scope)
//	tokens/
//	    <sha256 hex of secret>    -> breach.Token as JSON (never the secret): an
//	                                 issued token, whose secret is random
//	    $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>
//	                              -> breach.Token as JSON: the bootstrap admin
//	                                 token, under the argon2id hash of the operator
//	                                 secret (since version 4; before, under its
//	                                 sha256 hex, which start-up with the secret
//	                                 replaces; no migration, for want of the secret)
//	organisations/                                                   (since version 6)
//	    <name>                    -> breach.Organisation as JSON: a supplier's record
//	                                 (contracts, the controller's contact official,
//	                                 contacts, sub-processors, activities); every
//	                                 supplier token's organisation has one
//	token_ids/
//	    <token id>                -> the token's key in tokens/, to revoke or
//	                                 replace by ID
//	accounts/                                                        (since version 7)
//	    <account id>              -> breach.Account as JSON: a person who signs in
//	                                 on the pages (its password under argon2id, its
//	                                 recovery codes and invitation as sha256 hex of
//	                                 secrets the service drew)
//	account_emails/                                                  (since version 7)
//	    <e-mail address>          -> account ID; one account per address
//	account_events/                                                  (since version 7)
//	    <at ns uint64 BE><seq uint64 BE> -> breach.AccountEvent as JSON: the trail of
//	                                 invitations, sign-ins, failures, lock-outs,
//	                                 factor changes and blocks
//	sessions/                                                        (since version 7)
//	    <session id>              -> a session of an account as JSON (the sha256 hex
//	                                 of its cookie's secret, never the secret)
//	account_sessions/                                                (since version 7)
//	    <account id>/<session id> -> empty; an account's sessions, to end them all
//	retention_log/                                                   (since version 8)
//	    <deleted_at ns uint64 BE><id> -> breach.RetentionEntry as JSON (compressed as
//	                                 the records above): a whole record deleted after
//	                                 DATALEK_RETENTION_RECORD, with everything keyed by
//	                                 it (its record, trail, index entries, reference,
//	                                 snapshots and holds, mails and idempotency keys);
//	                                 its reference, organisation, received, closed and
//	                                 deleted dates, never its content (retention.go)
package store
