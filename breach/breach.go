// Package breach is the domain of the datalek service: personal-data breaches
// (datalekken) that processors report to the controller, the facts Bijlage 3
// of the processor agreement demands, and the clocks that run on them.
//
// It depends on the standard library only. It defines the interfaces it
// consumes (Store); the adapters in store/, notify/ and api/ implement or use
// them and never import each other.
package breach

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Stage says whether a report holds the Bijlage 3 minimum yet.
type Stage string

const (
	// StagePreliminary is a first report that still lacks Bijlage 3 facts.
	// It starts both clocks all the same.
	StagePreliminary Stage = "preliminary"
	// StageComplete is a report with every Bijlage 3 fact.
	StageComplete Stage = "complete"
)

// Status is where a breach stands in the controller's handling of it.
type Status string

const (
	StatusNew      Status = "new"
	StatusTriage   Status = "triage"
	StatusAssessed Status = "assessed"
	StatusDecided  Status = "decided"
	StatusClosed   Status = "closed"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusNew, StatusTriage, StatusAssessed, StatusDecided, StatusClosed}

// Disposition says what became of the items that were sent (Bijlage 3:
// "Is de uiting vernietigd of teruggestuurd").
type Disposition string

const (
	DispositionDestroyed      Disposition = "destroyed"
	DispositionReturned       Disposition = "returned"
	DispositionPartlyReturned Disposition = "partly_returned"
	DispositionNotReturned    Disposition = "not_returned"
	DispositionUnknown        Disposition = "unknown"
	DispositionNotApplicable  Disposition = "not_applicable" // only when nothing was sent
)

// Dispositions lists the valid dispositions.
var Dispositions = []Disposition{DispositionDestroyed, DispositionReturned, DispositionPartlyReturned,
	DispositionNotReturned, DispositionUnknown, DispositionNotApplicable}

// Channel is how an item was sent.
type Channel string

const (
	ChannelPost   Channel = "post"
	ChannelEmail  Channel = "email"
	ChannelPortal Channel = "portal"
	ChannelSMS    Channel = "sms"
	ChannelPhone  Channel = "phone"
	ChannelFax    Channel = "fax"
	ChannelOther  Channel = "other"
)

// Channels lists how an item can have been sent.
var Channels = []Channel{ChannelPost, ChannelEmail, ChannelPortal, ChannelSMS, ChannelPhone, ChannelFax, ChannelOther}

// SentItem is an item (uiting) that reached someone it should not have.
type SentItem struct {
	Description string  `json:"description"`
	Channel     Channel `json:"channel"`
	Count       *int    `json:"count,omitempty"`
}

// Reporter is the supplier's contact for this breach.
type Reporter struct {
	Name     string `json:"name"`
	Function string `json:"function,omitempty"`
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// Report holds the facts a supplier reports: the Bijlage 3 minimum and the
// fields that identify the report. Pointers and nil slices mean "not given
// yet", which a preliminary report may leave; SentItems distinguishes nil (not
// given) from empty (nothing was sent).
type Report struct {
	Title             string      `json:"title"`
	DetectedAt        time.Time   `json:"detected_at"`
	StartedAt         *time.Time  `json:"started_at,omitempty"`
	Ongoing           *bool       `json:"ongoing,omitempty"`
	Cause             string      `json:"cause,omitempty"`
	PersonalData      []string    `json:"personal_data,omitempty"`
	SubjectsMin       *int        `json:"subjects_min,omitempty"`
	SubjectsMax       *int        `json:"subjects_max,omitempty"`
	SentItems         []SentItem  `json:"sent_items,omitzero"`
	ItemDisposition   Disposition `json:"item_disposition,omitempty"`
	Measures          string      `json:"measures,omitempty"`
	Reporter          Reporter    `json:"reporter"`
	ContractReference string      `json:"contract_reference,omitempty"`
}

// Update is a development the supplier (or staff on its behalf) reported
// after the first report (Article 9.2).
type Update struct {
	Seq           int       `json:"seq"`
	ReceivedAt    time.Time `json:"received_at"`
	By            string    `json:"by"`
	Message       string    `json:"message"`
	ChangedFields []string  `json:"changed_fields"`
}

// Breach is a reported (suspected) personal-data breach with everything that
// happened to it. Stored state only: deadlines and missing fields are derived
// from it at a given moment (DeadlinesAt, MissingFields).
type Breach struct {
	ID           string     `json:"id"`
	Reference    string     `json:"reference"`
	Organisation string     `json:"organisation"`
	Stage        Stage      `json:"stage"`
	Status       Status     `json:"status"`
	ReceivedAt   time.Time  `json:"received_at"`
	CompletedAt  *time.Time `json:"completed_at,omitempty"`
	AwareAt      time.Time  `json:"aware_at,omitzero"`   // zero only in a supplier's view (Side.Visible)
	UpdatedAt    time.Time  `json:"updated_at,omitzero"` // zero only in a supplier's view (Side.Visible)
	Report
	Updates []Update `json:"updates"`
	// Alerting is where each clock's reminders and alerts stand.
	Alerting Alerting `json:"alerting,omitzero"`

	Assessments            []Assessment            `json:"assessments,omitempty"`
	Questions              []Question              `json:"questions,omitempty"`
	Decisions              []Decision              `json:"decisions,omitempty"`
	AuthorityNotifications []AuthorityNotification `json:"authority_notifications,omitempty"`
	SubjectCommunications  []SubjectCommunication  `json:"subject_communications,omitempty"`
	AwarenessMoves         []AwarenessMove         `json:"awareness_moves,omitempty"`
	OtherControllers       []OtherController       `json:"other_controllers,omitempty"`
	Closure                *Closure                `json:"closure,omitempty"`

	// Version counts the events in the breach's audit trail; TrailHash is the
	// hash of the last one, so the next event chains onto it.
	Version   int    `json:"version,omitempty"`
	TrailHash string `json:"trail_hash,omitempty"`

	pending []Event  // recorded but not yet stored
	notices []Notice // queued but not yet in the outbox
}

// NewReference draws a human reference for a breach received in year:
// DL-<year>-<five characters>, such as DL-2026-K7QM4. It is drawn at random
// rather than counted, so that a supplier cannot tell from its own
// references how many breaches others reported; the store keeps them
// unique. The characters are capitals without vowels (no words are spelt)
// and digits 2 to 9, leaving out what is easily mistaken when read out on
// the phone or written down (0 and O, 1, I and L, 5 and S, 2 and Z keep
// only their digit); the first is a letter,
// so that a new reference never looks like one counted before layout 4
// (DL-2026-0042), which stay as they were. About 6.6 million per year.
func NewReference(year int) string {
	b := []byte{referenceLetters[rand.IntN(len(referenceLetters))]}
	for range 4 {
		b = append(b, referenceChars[rand.IntN(len(referenceChars))])
	}
	return fmt.Sprintf("DL-%d-%s", year, b)
}

const (
	referenceLetters = "BCDFGHJKMNPQRTVWX"
	referenceChars   = referenceLetters + "23456789"
)
